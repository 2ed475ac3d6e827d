trigger EnrollmentTrigger on Enrollment__c(before insert, before update) {
    new EnrollmentTriggerHandler().run();
}

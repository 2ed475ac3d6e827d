trigger ErasureRequestTrigger on ErasureRequest__c(before insert, before update, before delete) {
    new ErasureRequestTriggerHandler().run();
}

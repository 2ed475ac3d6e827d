trigger CaseTrigger on Case(before insert, after insert, before update) {
    new CaseTriggerHandler().run();
}

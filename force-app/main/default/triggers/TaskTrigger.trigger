trigger TaskTrigger on Task(after insert) {
    new CaseFirstResponseHandler().run();
}

trigger EmailMessageTrigger on EmailMessage(after insert) {
    new CaseFirstResponseHandler().run();
}

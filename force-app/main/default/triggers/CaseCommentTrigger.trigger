trigger CaseCommentTrigger on CaseComment(after insert) {
    new CaseFirstResponseHandler().run();
}

import { LightningElement, api, wire } from 'lwc';
import { refreshApex } from '@salesforce/apex';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import getInsight from '@salesforce/apex/CaseRoutingController.getInsight';
import getTopicOptions from '@salesforce/apex/CaseRoutingController.getTopicOptions';
import reroute from '@salesforce/apex/CaseRoutingController.reroute';
import { userMessage } from 'c/fseErrorUtils';
import { format, formatDate } from 'c/fsePortalUtils';
import TITLE from '@salesforce/label/c.FSE_Console_Routing_Title';
import RULE from '@salesforce/label/c.FSE_Console_Routing_Rule';
import NO_RULE from '@salesforce/label/c.FSE_Console_Routing_NoRule';
import TARGET from '@salesforce/label/c.FSE_Console_Routing_Target';
import TARGET_SKILLS from '@salesforce/label/c.FSE_Console_Routing_TargetSkills';
import SKILLS from '@salesforce/label/c.FSE_Console_Routing_Skills';
import ADDITIONAL from '@salesforce/label/c.FSE_Console_Routing_Additional';
import PRIORITY from '@salesforce/label/c.FSE_Console_Routing_Priority';
import WAITING from '@salesforce/label/c.FSE_Console_Routing_Waiting';
import OVERDUE from '@salesforce/label/c.FSE_Console_Routing_Overdue';
import WITHIN_SLA from '@salesforce/label/c.FSE_Console_Routing_WithinSla';
import REASON from '@salesforce/label/c.FSE_Console_Routing_Reason';
import HISTORY from '@salesforce/label/c.FSE_Console_Routing_History';
import REROUTE_TITLE from '@salesforce/label/c.FSE_Console_Reroute_Title';
import REROUTE_TOPIC from '@salesforce/label/c.FSE_Console_Reroute_Topic';
import REROUTE_KEEP_TOPIC from '@salesforce/label/c.FSE_Console_Reroute_KeepTopic';
import REROUTE_REASON from '@salesforce/label/c.FSE_Console_Reroute_Reason';
import REROUTE_SUBMIT from '@salesforce/label/c.FSE_Console_Reroute_Submit';
import REROUTE_DONE from '@salesforce/label/c.FSE_Console_Reroute_Done';
import REROUTE_REASON_REQUIRED from '@salesforce/label/c.FSE_Console_Error_RerouteReasonRequired';
import EMPTY from '@salesforce/label/c.FSE_Console_Routing_Empty';
import MINUTES from '@salesforce/label/c.FSE_Console_Minutes';
import ERROR from '@salesforce/label/c.FSE_Common_Error';
import KIND_INITIAL from '@salesforce/label/c.FSE_Console_Kind_Initial';
import KIND_REROUTE from '@salesforce/label/c.FSE_Console_Kind_Reroute';
import KIND_ESCALATION from '@salesforce/label/c.FSE_Console_Kind_Escalation';
import SKILL_LEVEL from '@salesforce/label/c.FSE_Console_Routing_SkillLevel';

const KIND_TEXT = {
    Initial: KIND_INITIAL,
    Reroute: KIND_REROUTE,
    Escalation: KIND_ESCALATION
};

/**
 * Case record page: why the case went where it did (matched rule, skills, priority, waiting time
 * versus SLA, history) and an agent re-route with a mandatory reason.
 */
export default class ConsoleCaseRoutingInsight extends LightningElement {
    @api recordId;

    labels = {
        title: TITLE,
        rule: RULE,
        noRule: NO_RULE,
        target: TARGET,
        skills: SKILLS,
        additional: ADDITIONAL,
        priority: PRIORITY,
        waiting: WAITING,
        reason: REASON,
        history: HISTORY,
        rerouteTitle: REROUTE_TITLE,
        rerouteTopic: REROUTE_TOPIC,
        rerouteReason: REROUTE_REASON,
        rerouteSubmit: REROUTE_SUBMIT,
        empty: EMPTY
    };

    insight;
    error;
    topicOptions = [];
    selectedTopic = '';
    reason = '';
    saving = false;
    wiredInsight;

    @wire(getInsight, { caseId: '$recordId' })
    wiredGetInsight(result) {
        this.wiredInsight = result;
        if (result.data !== undefined) {
            this.insight = result.data;
            this.error = undefined;
        } else if (result.error) {
            this.error = result.error;
            this.insight = undefined;
        }
    }

    @wire(getTopicOptions)
    wiredTopics({ data }) {
        if (data) {
            this.topicOptions = [{ label: REROUTE_KEEP_TOPIC, value: '' }, ...data];
        }
    }

    get isLoading() {
        return !this.insight && !this.error && this.wiredInsight?.data === undefined;
    }
    get hasError() {
        return !!this.error;
    }
    get isEmpty() {
        return !this.error && this.wiredInsight?.data === null;
    }
    get hasInsight() {
        return !!this.insight;
    }
    get ruleText() {
        if (!this.insight.ruleName) {
            return NO_RULE;
        }
        return this.insight.ruleLabel
            ? `${this.insight.ruleLabel} (${this.insight.ruleName})`
            : this.insight.ruleName;
    }
    get targetText() {
        return this.insight.skillsBased ? TARGET_SKILLS : this.insight.target;
    }
    get skillItems() {
        const labels = this.insight.skillLabels || {};
        return (this.insight.skills || []).map((s) => ({
            key: s.name,
            text: `${format(SKILL_LEVEL, labels[s.name] || s.name, s.level)}${
                s.additional ? ` · ${ADDITIONAL}` : ''
            }`
        }));
    }
    get hasSkills() {
        return this.skillItems.length > 0;
    }
    get waitingText() {
        return `${this.insight.waitingMinutes} / ${this.insight.slaMinutes} ${MINUTES}`;
    }
    get slaBadgeLabel() {
        return this.insight.overdue ? OVERDUE : WITHIN_SLA;
    }
    get slaBadgeClass() {
        return this.insight.overdue ? 'slds-theme_error' : 'slds-theme_success';
    }
    get historyRows() {
        return (this.insight.history || []).map((h) => ({
            ...h,
            kindText: KIND_TEXT[h.kind] || h.kind,
            // built here: the template compiler drops spaces next to elements ("Operatore ·21 ott")
            summary: [
                KIND_TEXT[h.kind] || h.kind,
                h.rule,
                h.target === 'SkillsBased' ? TARGET_SKILLS : h.target,
                `P${h.priority}`
            ]
                .filter(Boolean)
                .join(' · '),
            byline: [formatDate(h.decidedAt, 'dateTime'), h.decidedBy, h.reason]
                .filter(Boolean)
                .join(' · ')
        }));
    }
    get hasHistory() {
        return this.historyRows.length > 0;
    }
    get submitDisabled() {
        return this.saving || this.insight?.closed;
    }

    handleTopicChange(event) {
        this.selectedTopic = event.detail.value;
    }
    handleReasonChange(event) {
        this.reason = event.detail.value;
    }
    handleRetry() {
        this.error = undefined;
        return refreshApex(this.wiredInsight);
    }

    async handleReroute() {
        const reasonInput = this.template.querySelector('lightning-textarea');
        if (!this.reason || this.reason.trim().length < 5) {
            reasonInput.setCustomValidity(REROUTE_REASON_REQUIRED);
            reasonInput.reportValidity();
            reasonInput.focus();
            return;
        }
        reasonInput.setCustomValidity('');
        reasonInput.reportValidity();
        this.saving = true;
        try {
            await reroute({
                caseId: this.recordId,
                topic: this.selectedTopic || null,
                reason: this.reason.trim()
            });
            this.reason = '';
            this.selectedTopic = '';
            this.dispatchEvent(new ShowToastEvent({ title: REROUTE_DONE, variant: 'success' }));
            await refreshApex(this.wiredInsight);
            const heading = this.template.querySelector('h2');
            if (heading) {
                heading.focus();
            }
        } catch (e) {
            this.dispatchEvent(
                new ShowToastEvent({
                    title: ERROR,
                    message: userMessage(e, ''),
                    variant: 'error'
                })
            );
        } finally {
            this.saving = false;
        }
    }
}

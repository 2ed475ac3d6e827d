// Omni-Channel PendingServiceRouting for apex-ls, whose bundled standard objects lack it.
// Fields from the Object Reference for the Salesforce Platform, "PendingServiceRouting"
// (https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_pendingservicerouting.htm).
// Types: reference -> Id (+ relationship), double/percent -> Decimal, int -> Integer,
// picklist/string -> String, dateTime -> Datetime. Compiled at check time by scripts/apex-check.ts.
package com.nawforce.runforce.SObjects;

import com.nawforce.runforce.Internal.SObjectFields$;
import com.nawforce.runforce.Internal.SObjectType$;
import com.nawforce.runforce.System.*;

@SuppressWarnings("unused")
public class PendingServiceRouting extends SObject {
    public static SObjectType$<PendingServiceRouting> SObjectType;
    public static SObjectFields$<PendingServiceRouting> Fields;

    public Id BotId;
    public com.nawforce.runforce.System.String BotType;
    public Decimal CapacityPercentage;
    public Decimal CapacityWeight;
    public Id CreatedById;
    public User CreatedBy;
    public Datetime CreatedDate;
    public Datetime CustomRequestedDateTime;
    public com.nawforce.runforce.System.Integer DropAdditionalSkillsTimeout;
    public Id GroupId;
    public Group Group;
    public Id Id;
    public com.nawforce.runforce.System.Boolean IsDeleted;
    public com.nawforce.runforce.System.Boolean IsInterruptible;
    public com.nawforce.runforce.System.Boolean IsOwnerChangeInitiated;
    public com.nawforce.runforce.System.Boolean IsPreferredUserRequired;
    public com.nawforce.runforce.System.Boolean IsPushAttempted;
    public com.nawforce.runforce.System.Boolean IsPushed;
    public com.nawforce.runforce.System.Boolean IsReadyForRouting;
    public com.nawforce.runforce.System.Boolean IsTransfer;
    public com.nawforce.runforce.System.String LastDeclinedAgentSession;
    public Id LastModifiedById;
    public User LastModifiedBy;
    public Datetime LastModifiedDate;
    public com.nawforce.runforce.System.String Name;
    public Id OwnerId;
    public Name Owner;
    public Id PreferredUserId;
    public User PreferredUser;
    public com.nawforce.runforce.System.Integer PushTimeout;
    public Id QueueId;
    public Group Queue;
    public com.nawforce.runforce.System.String RoutingModel;
    public com.nawforce.runforce.System.Integer RoutingPriority;
    public com.nawforce.runforce.System.String RoutingType;
    public com.nawforce.runforce.System.Integer SecondaryRoutingPriority;
    public Id ServiceChannelId;
    public ServiceChannel ServiceChannel;
    public Datetime SystemModstamp;
    public Id WorkItemId;
    public Name WorkItem;

    public SkillRequirement[] SkillRequirements;

    public PendingServiceRouting clone$() {throw new java.lang.UnsupportedOperationException();}
    public PendingServiceRouting clone$(com.nawforce.runforce.System.Boolean preserveId) {throw new java.lang.UnsupportedOperationException();}
    public PendingServiceRouting clone$(com.nawforce.runforce.System.Boolean preserveId, com.nawforce.runforce.System.Boolean isDeepClone) {throw new java.lang.UnsupportedOperationException();}
    public PendingServiceRouting clone$(com.nawforce.runforce.System.Boolean preserveId, com.nawforce.runforce.System.Boolean isDeepClone, com.nawforce.runforce.System.Boolean preserveReadonlyTimestamps) {throw new java.lang.UnsupportedOperationException();}
    public PendingServiceRouting clone$(com.nawforce.runforce.System.Boolean preserveId, com.nawforce.runforce.System.Boolean isDeepClone, com.nawforce.runforce.System.Boolean preserveReadonlyTimestamps, com.nawforce.runforce.System.Boolean preserveAutonumber) {throw new java.lang.UnsupportedOperationException();}
}

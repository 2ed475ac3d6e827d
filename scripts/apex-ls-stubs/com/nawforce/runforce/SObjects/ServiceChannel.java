// Omni-Channel ServiceChannel for apex-ls, whose bundled standard objects lack it.
// Fields from the Object Reference for the Salesforce Platform, "ServiceChannel"
// (https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_servicechannel.htm),
// the ones this project can meet (channel set-up fields of messaging/voice channels left out).
// Compiled at check time by scripts/apex-check.ts.
package com.nawforce.runforce.SObjects;

import com.nawforce.runforce.Internal.SObjectFields$;
import com.nawforce.runforce.Internal.SObjectType$;
import com.nawforce.runforce.System.*;

@SuppressWarnings("unused")
public class ServiceChannel extends SObject {
    public static SObjectType$<ServiceChannel> SObjectType;
    public static SObjectFields$<ServiceChannel> Fields;

    public com.nawforce.runforce.System.String CapacityModel;
    public Id CreatedById;
    public User CreatedBy;
    public Datetime CreatedDate;
    public com.nawforce.runforce.System.String DeveloperName;
    public com.nawforce.runforce.System.Boolean DoesMinimizeWidgetOnAccept;
    public Id Id;
    public com.nawforce.runforce.System.Boolean IsDeleted;
    public com.nawforce.runforce.System.Boolean IsInterruptible;
    public com.nawforce.runforce.System.String Language;
    public Id LastModifiedById;
    public User LastModifiedBy;
    public Datetime LastModifiedDate;
    public com.nawforce.runforce.System.String MasterLabel;
    public com.nawforce.runforce.System.String RelatedEntity;
    public com.nawforce.runforce.System.String SecRoutingPriorityField;
    public Datetime SystemModstamp;

    public PendingServiceRouting[] PendingServiceRoutings;

    public ServiceChannel clone$() {throw new java.lang.UnsupportedOperationException();}
    public ServiceChannel clone$(com.nawforce.runforce.System.Boolean preserveId) {throw new java.lang.UnsupportedOperationException();}
    public ServiceChannel clone$(com.nawforce.runforce.System.Boolean preserveId, com.nawforce.runforce.System.Boolean isDeepClone) {throw new java.lang.UnsupportedOperationException();}
    public ServiceChannel clone$(com.nawforce.runforce.System.Boolean preserveId, com.nawforce.runforce.System.Boolean isDeepClone, com.nawforce.runforce.System.Boolean preserveReadonlyTimestamps) {throw new java.lang.UnsupportedOperationException();}
    public ServiceChannel clone$(com.nawforce.runforce.System.Boolean preserveId, com.nawforce.runforce.System.Boolean isDeepClone, com.nawforce.runforce.System.Boolean preserveReadonlyTimestamps, com.nawforce.runforce.System.Boolean preserveAutonumber) {throw new java.lang.UnsupportedOperationException();}
}

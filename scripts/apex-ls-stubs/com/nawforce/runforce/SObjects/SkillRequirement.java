// SkillRequirement for apex-ls: its bundled class lacks IsAdditionalSkill (boolean, API 46.0+,
// Omni-Channel skills-based routing). This stub replaces it (it comes first on the classpath),
// so it repeats the bundled fields and adds IsAdditionalSkill, per the Object Reference for the
// Salesforce Platform, "SkillRequirement"
// (https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_skillrequirement.htm).
// RelatedRecordId can point to a PendingServiceRouting in Omni-Channel.
// Compiled at check time by scripts/apex-check.ts.
package com.nawforce.runforce.SObjects;

import com.nawforce.runforce.Internal.SObjectFields$;
import com.nawforce.runforce.Internal.SObjectType$;
import com.nawforce.runforce.System.*;

@SuppressWarnings("unused")
public class SkillRequirement extends SObject {
    public static SObjectType$<SkillRequirement> SObjectType;
    public static SObjectFields$<SkillRequirement> Fields;

    public Id CreatedById;
    public User CreatedBy;
    public Datetime CreatedDate;
    public com.nawforce.runforce.System.String CurrencyIsoCode;
    public Id Id;
    public com.nawforce.runforce.System.Boolean IsAdditionalSkill;
    public com.nawforce.runforce.System.Boolean IsDeleted;
    public Id LastModifiedById;
    public User LastModifiedBy;
    public Datetime LastModifiedDate;
    public Datetime LastReferencedDate;
    public Datetime LastViewedDate;
    public Id RelatedRecordId;
    public Name RelatedRecord;
    public Id SkillId;
    public Skill Skill;
    public Decimal SkillLevel;
    public com.nawforce.runforce.System.String SkillNumber;
    public com.nawforce.runforce.System.Integer SkillPriority;
    public Datetime SystemModstamp;

    public SkillRequirement clone$() {throw new java.lang.UnsupportedOperationException();}
    public SkillRequirement clone$(com.nawforce.runforce.System.Boolean preserveId) {throw new java.lang.UnsupportedOperationException();}
    public SkillRequirement clone$(com.nawforce.runforce.System.Boolean preserveId, com.nawforce.runforce.System.Boolean isDeepClone) {throw new java.lang.UnsupportedOperationException();}
    public SkillRequirement clone$(com.nawforce.runforce.System.Boolean preserveId, com.nawforce.runforce.System.Boolean isDeepClone, com.nawforce.runforce.System.Boolean preserveReadonlyTimestamps) {throw new java.lang.UnsupportedOperationException();}
    public SkillRequirement clone$(com.nawforce.runforce.System.Boolean preserveId, com.nawforce.runforce.System.Boolean isDeepClone, com.nawforce.runforce.System.Boolean preserveReadonlyTimestamps, com.nawforce.runforce.System.Boolean preserveAutonumber) {throw new java.lang.UnsupportedOperationException();}
}

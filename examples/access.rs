//! Who sees what: a permission set, a role hierarchy, a team, a sharing rule, a manual
//! share and a hidden field, then what each user sees through `as_user`, a refusal and
//! the audit that records it.
//!
//! ```text
//! cargo run --example access
//! ```

use chrono::Utc;
use crm::access::{
    FieldAccess, FieldRule, GranteeRef, ObjectPermission, PermissionSetSpec, RoleSpec, ShareAccess,
    SharingRuleSpec, SystemPermission, TeamSpec, UserSpec,
};
use crm::lifecycle::{FieldCondition, Op};
use crm::store::EntityKind;
use crm::{Crm, Error, LeadField, LeadInput, RecordKey, Region, SqliteStore};

fn main() -> crm::Result<()> {
    let crm = Crm::new(SqliteStore::open_in_memory()?, Region::parse("DE")?);
    let now = Utc::now();
    let access = crm.access();

    // What reps may do with leads, and what the sales admin may do besides.
    access.set_permission_set(
        PermissionSetSpec {
            name: "sales".into(),
            objects: vec![ObjectPermission::all(EntityKind::Lead)],
            system: vec![],
        },
        now,
    )?;
    access.set_permission_set(
        PermissionSetSpec {
            name: "audit".into(),
            objects: vec![],
            system: vec![SystemPermission::ViewAudit],
        },
        now,
    )?;
    // A role hierarchy: the manager sees what the reps own; reps do not see the lead's
    // free-text description.
    access.set_role(RoleSpec::new("manager", None, &["sales", "audit"]), now)?;
    access.set_role(
        RoleSpec {
            fields: vec![FieldRule {
                kind: EntityKind::Lead,
                field: "data.description".into(),
                access: FieldAccess::Hidden,
            }],
            ..RoleSpec::new("rep", Some("manager"), &["sales"])
        },
        now,
    )?;
    access.set_user(UserSpec::new("mia").with_role("manager"), now)?;
    access.set_user(UserSpec::new("rep1").with_role("rep"), now)?;
    access.set_user(UserSpec::new("rep2").with_role("rep"), now)?;
    access.set_team(
        TeamSpec {
            name: "inside".into(),
            members: vec!["rep2".into()],
        },
        now,
    )?;
    // German leads are shared with the inside team, read-only.
    access.set_sharing_rule(
        SharingRuleSpec {
            name: "german".into(),
            kind: EntityKind::Lead,
            filter: vec![FieldCondition {
                field: "data.address.country".into(),
                op: Op::Eq,
                value: "DE".into(),
            }],
            grantee: GranteeRef::Team {
                name: "inside".into(),
            },
            access: ShareAccess::Read,
        },
        now,
    )?;

    // Leads, each owned by a rep (the owner field holds a login).
    let lead = |name: &str, country: &str, owner: &str| -> crm::Result<u64> {
        let input = LeadInput::new()
            .with(LeadField::FullName, name)
            .with(
                LeadField::Email,
                format!("{}@example.com", name.to_lowercase()),
            )
            .with(LeadField::Country, country)
            .with(LeadField::Owner, owner)
            .with(LeadField::Description, "wants a demo in March");
        Ok(crm.leads().capture(input, now)?.lead.id.get())
    };
    let ada = lead("Ada", "DE", "rep1")?;
    let _grace = lead("Grace", "US", "rep1")?;
    let _alan = lead("Alan", "GB", "rep2")?;

    for login in ["mia", "rep1", "rep2"] {
        let user = crm.as_user(login)?;
        let names: Vec<String> = user
            .leads()
            .list()?
            .iter()
            .map(|l| {
                format!(
                    "{}{}",
                    l.data.last_name.as_deref().unwrap_or("?"),
                    if l.data.description.is_some() {
                        " (+notes)"
                    } else {
                        ""
                    }
                )
            })
            .collect();
        println!("{login:>5} sees {names:?}");
    }

    // rep2 reads Ada through the sharing rule, but may not change her.
    let rep2 = crm.as_user("rep2")?;
    let ada_record = RecordKey::new(EntityKind::Lead, ada);
    println!(
        "rep2's access to Ada: {:?}",
        rep2.access().access_to(ada_record)?
    );
    match rep2.leads().start_working(crm::id::LeadId::new(ada)?, now) {
        Err(Error::Forbidden { reason, .. }) => println!("rep2 may not work Ada: {reason}"),
        other => println!("unexpected: {other:?}"),
    }
    // rep1, Ada's owner, shares her by hand with rep2 for editing.
    let rep1 = crm.as_user("rep1")?;
    rep1.access().share(
        ada_record,
        GranteeRef::User {
            name: "rep2".into(),
        },
        ShareAccess::Edit,
        now,
    )?;
    let worked = rep2
        .leads()
        .start_working(crm::id::LeadId::new(ada)?, now)?;
    println!("rep2 works Ada now: {:?}", worked.status);

    // The refusal was recorded; the manager, who may read the audit, sees it.
    let mia = crm.as_user("mia")?;
    for e in mia.events().since(0, 1000)? {
        if e.event_type == "AccessRefused" {
            println!("audit: {} {}", e.actor, e.payload);
        }
    }
    Ok(())
}

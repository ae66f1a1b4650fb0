//! The attributes Entra's GoTo provisioning mapping sends, as data
//! (`assets/data/entra-goto-attribute-mapping.json`), checked against a server's schemas (SCIM
//! 2.0's `/Schemas` or SCIM 1.x's `/Schemas/Users`); and the limits GoTo documents for users
//! (`assets/data/goto-scim-limits.json`).

use std::collections::BTreeSet;
use std::sync::OnceLock;

use serde::Deserialize;
use serde_json::Value;

use super::dialect::schema_resources;

#[derive(Debug, Deserialize)]
pub(super) struct Mapping {
    pub(super) matching_attribute: String,
    pub(super) user: UserMapping,
    pub(super) group: GroupMapping,
}

#[derive(Debug, Deserialize)]
pub(super) struct UserMapping {
    pub(super) core_schema: String,
    pub(super) attributes: Vec<String>,
    pub(super) enterprise_schema: String,
    pub(super) enterprise_attributes: Vec<String>,
    #[serde(default)]
    pub(super) core_schema_aliases: Vec<String>,
    #[serde(default)]
    pub(super) enterprise_schema_aliases: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub(super) struct GroupMapping {
    pub(super) core_schema: String,
    pub(super) attributes: Vec<String>,
    #[serde(default)]
    pub(super) core_schema_aliases: Vec<String>,
}

/// The limits GoTo's published description documents for users, with where they come from.
#[derive(Debug, Deserialize)]
pub(super) struct GotoLimits {
    #[cfg_attr(not(test), allow(dead_code))] // data kept with the limits; the tests read it
    pub(super) source: String,
    pub(super) retrieved: String,
    pub(super) limits: Vec<Limit>,
}

#[derive(Debug, Deserialize)]
pub(super) struct Limit {
    #[cfg_attr(not(test), allow(dead_code))] // data kept with the text; the tests read it
    pub(super) attribute: String,
    pub(super) text: String,
}

pub(super) fn goto_limits() -> Option<&'static GotoLimits> {
    static LIMITS: OnceLock<Option<GotoLimits>> = OnceLock::new();
    LIMITS
        .get_or_init(|| {
            serde_json::from_str(include_str!("../../assets/data/goto-scim-limits.json")).ok()
        })
        .as_ref()
}

pub(super) fn mapping() -> Option<&'static Mapping> {
    static MAPPING: OnceLock<Option<Mapping>> = OnceLock::new();
    MAPPING
        .get_or_init(|| {
            serde_json::from_str(include_str!(
                "../../assets/data/entra-goto-attribute-mapping.json"
            ))
            .ok()
        })
        .as_ref()
}

/// Attributes every SCIM resource has (RFC 7643 §3.1); servers rarely list them in `/Schemas`.
const COMMON_ATTRIBUTES: [&str; 3] = ["id", "externalId", "meta"];

/// The attribute paths (`name.givenName`) declared for the schema known by any of `ids`: the
/// attributes of a resource schema with one of those ids, and (SCIM 1.x lists extension
/// attributes inside the resource, each naming its schema) attributes whose own `schema` is
/// one of them. `None` when no schema has any of the ids.
fn declared(schemas: &Value, ids: &[&str]) -> Option<BTreeSet<String>> {
    let is_wanted = |id: &str| ids.iter().any(|wanted| wanted.eq_ignore_ascii_case(id));
    let mut found = false;
    let mut paths = BTreeSet::new();
    for resource in schema_resources(schemas) {
        let resource_id = resource
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default();
        found |= is_wanted(resource_id);
        for attribute in resource
            .get("attributes")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let owner = attribute
                .get("schema")
                .and_then(Value::as_str)
                .filter(|schema| schema.contains(":extension:"))
                .unwrap_or(resource_id);
            let Some(name) = attribute.get("name").and_then(Value::as_str) else {
                continue;
            };
            if !is_wanted(owner) {
                continue;
            }
            found = true;
            paths.insert(name.to_owned());
            for sub in attribute
                .get("subAttributes")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if let Some(sub_name) = sub.get("name").and_then(Value::as_str) {
                    paths.insert(format!("{name}.{sub_name}"));
                }
            }
        }
    }
    found.then_some(paths)
}

/// What a server lacks of one part of the mapping.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Gap {
    /// The schema is offered, but not these attributes.
    Attributes {
        schema: String,
        missing: Vec<String>,
    },
    /// The schema is not offered at all: these attributes have nowhere to go.
    Schema {
        schema: String,
        attributes: Vec<String>,
    },
}

/// Which parts of the mapping to check: with `groups` false, the user schemas only (a server
/// that publishes the user schema alone, as GoTo's `/Schemas/Users`).
pub(super) fn gaps(schemas: &Value, mapping: &Mapping, groups: bool) -> Vec<Gap> {
    let mut gaps = Vec::new();
    let parts: [(&str, &[String], &[String]); 3] = [
        (
            &mapping.user.core_schema,
            &mapping.user.core_schema_aliases,
            &mapping.user.attributes,
        ),
        (
            &mapping.user.enterprise_schema,
            &mapping.user.enterprise_schema_aliases,
            &mapping.user.enterprise_attributes,
        ),
        (
            &mapping.group.core_schema,
            &mapping.group.core_schema_aliases,
            &mapping.group.attributes,
        ),
    ];
    for (index, (schema_id, aliases, wanted)) in parts.into_iter().enumerate() {
        if index == 2 && !groups {
            continue;
        }
        let ids: Vec<&str> = std::iter::once(schema_id)
            .chain(aliases.iter().map(String::as_str))
            .collect();
        let Some(paths) = declared(schemas, &ids) else {
            gaps.push(Gap::Schema {
                schema: schema_id.to_owned(),
                attributes: wanted.to_vec(),
            });
            continue;
        };
        let missing: Vec<String> = wanted
            .iter()
            .filter(|attribute| {
                !paths
                    .iter()
                    .any(|path| path.eq_ignore_ascii_case(attribute))
                    && !COMMON_ATTRIBUTES
                        .iter()
                        .any(|common| common.eq_ignore_ascii_case(attribute))
            })
            .cloned()
            .collect();
        if !missing.is_empty() {
            gaps.push(Gap::Attributes {
                schema: schema_resources(schemas)
                    .iter()
                    .filter_map(|resource| resource.get("id").and_then(Value::as_str))
                    .find(|id| ids.iter().any(|wanted| wanted.eq_ignore_ascii_case(id)))
                    .unwrap_or(schema_id)
                    .to_owned(),
                missing,
            });
        }
    }
    gaps
}

/// What the server lacks: `(missing attributes as "attribute (schema)", schemas not offered)`.
pub(super) fn missing(schemas: &Value, mapping: &Mapping) -> (Vec<String>, Vec<String>) {
    let mut missing = Vec::new();
    let mut absent_schemas = Vec::new();
    for gap in gaps(schemas, mapping, true) {
        match gap {
            Gap::Attributes {
                schema,
                missing: attributes,
            } => missing.extend(attributes.iter().map(|a| format!("{a} ({schema})"))),
            Gap::Schema { schema, .. } => absent_schemas.push(schema),
        }
    }
    (missing, absent_schemas)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mapping_data_loads() {
        let mapping = mapping().expect("assets/data/entra-goto-attribute-mapping.json parses");
        assert_eq!(mapping.matching_attribute, "userName");
        assert!(
            mapping
                .user
                .attributes
                .iter()
                .any(|a| a == "name.givenName")
        );
        assert_eq!(mapping.user.enterprise_attributes.len(), 4);
    }

    #[test]
    fn finds_missing_attributes_and_schemas() {
        let mapping = mapping().unwrap();
        let schemas = serde_json::json!({"Resources": [
            {"id": "urn:ietf:params:scim:schemas:core:2.0:User", "attributes": [
                {"name": "userName"}, {"name": "active"},
                {"name": "name", "subAttributes": [{"name": "givenName"}]}
            ]},
            {"id": "urn:ietf:params:scim:schemas:core:2.0:Group", "attributes": [
                {"name": "displayName"}, {"name": "members"}
            ]}
        ]});
        let (missing, absent) = missing(&schemas, mapping);
        assert_eq!(
            missing,
            ["name.familyName (urn:ietf:params:scim:schemas:core:2.0:User)"]
        );
        assert_eq!(
            absent,
            ["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]
        );
    }

    /// GoTo's `/Schemas/Users` answers one SCIM 1.0 resource schema; `name.givenName` is the
    /// attribute `name` with the sub-attribute `givenName`.
    #[test]
    fn reads_a_scim_1_user_schema_with_sub_attributes() {
        let mapping = mapping().unwrap();
        let schema = serde_json::json!({
            "id": "urn:scim:schemas:core:1.0:User", "name": "User",
            "schema": "urn:scim:schemas:core:1.0", "endpoint": "/Users",
            "attributes": [
                {"name": "userName", "schema": "urn:scim:schemas:core:1.0"},
                {"name": "name", "schema": "urn:scim:schemas:core:1.0", "subAttributes": [
                    {"name": "givenName"}, {"name": "familyName"}
                ]},
                {"name": "department", "schema": "urn:scim:schemas:extension:enterprise:1.0"}
            ]
        });
        let gaps = gaps(&schema, mapping, false);
        assert_eq!(
            gaps,
            [
                Gap::Attributes {
                    schema: "urn:scim:schemas:core:1.0:User".into(),
                    missing: vec!["active".into()],
                },
                Gap::Attributes {
                    schema: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User".into(),
                    missing: vec![
                        "employeeNumber".into(),
                        "costCenter".into(),
                        "division".into()
                    ],
                },
            ]
        );
    }

    #[test]
    fn the_goto_limits_load_with_their_source() {
        let limits = goto_limits().expect("assets/data/goto-scim-limits.json parses");
        assert!(limits.source.contains("citrixonline.com/scim"));
        assert_eq!(limits.retrieved, "2026-12-03");
        assert!(
            limits
                .limits
                .iter()
                .any(|l| l.attribute == "userName" && l.text.contains("128"))
        );
    }
}

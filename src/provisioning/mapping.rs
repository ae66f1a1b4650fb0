//! The attributes Entra's GoTo provisioning mapping sends, as data
//! (`assets/data/entra-goto-attribute-mapping.json`), checked against a server's `/Schemas`.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use serde::Deserialize;
use serde_json::Value;

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
}

#[derive(Debug, Deserialize)]
pub(super) struct GroupMapping {
    pub(super) core_schema: String,
    pub(super) attributes: Vec<String>,
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

/// The attribute paths (`name.givenName`) each schema in a `/Schemas` answer declares.
fn declared(schemas: &Value, schema_id: &str) -> Option<BTreeSet<String>> {
    let list = schemas
        .get("Resources")
        .and_then(Value::as_array)
        .or_else(|| schemas.as_array())?;
    let schema = list
        .iter()
        .find(|schema| schema.get("id").and_then(Value::as_str) == Some(schema_id))?;
    let mut paths = BTreeSet::new();
    for attribute in schema
        .get("attributes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let Some(name) = attribute.get("name").and_then(Value::as_str) else {
            continue;
        };
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
    Some(paths)
}

/// What the server lacks: `(missing attributes as "schema: attribute", schemas not offered)`.
pub(super) fn missing(schemas: &Value, mapping: &Mapping) -> (Vec<String>, Vec<String>) {
    let mut missing = Vec::new();
    let mut absent_schemas = Vec::new();
    let groups: [(&str, &[String]); 3] = [
        (&mapping.user.core_schema, &mapping.user.attributes),
        (
            &mapping.user.enterprise_schema,
            &mapping.user.enterprise_attributes,
        ),
        (&mapping.group.core_schema, &mapping.group.attributes),
    ];
    for (schema_id, wanted) in groups {
        let Some(paths) = declared(schemas, schema_id) else {
            absent_schemas.push(schema_id.to_owned());
            continue;
        };
        for attribute in wanted {
            let known = paths
                .iter()
                .any(|path| path.eq_ignore_ascii_case(attribute))
                || COMMON_ATTRIBUTES
                    .iter()
                    .any(|common| common.eq_ignore_ascii_case(attribute));
            if !known {
                missing.push(format!("{attribute} ({schema_id})"));
            }
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
}

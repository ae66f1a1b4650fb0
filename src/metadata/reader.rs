//! The streaming reader: one pass of quick-xml events over the document, keeping a stack
//! of what each open element means. No DOM is built, so memory stays proportional to the
//! result, and DOCTYPEs and custom entities are refused the moment they appear.

use quick_xml::NsReader;
use quick_xml::XmlVersion;
use quick_xml::escape::EscapeError;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::{QName, ResolveResult};
use time::OffsetDateTime;

use super::{
    Endpoint, Entity, IdpRole, IndexedEndpoint, Metadata, MetadataError, ParseOptions, RootElement,
    SigningCertificate, SpRole, classify,
};
use crate::certificate::Certificate;
use crate::xml::{Position, PositionCursor, ns, position_at};

/// Deeper than any real metadata (Entra's is ~8 levels, aggregates ~12).
const MAX_DEPTH: usize = 256;
/// Base64 text of one certificate; generous for 16k-bit RSA keys with long chains.
const MAX_CERTIFICATE_TEXT: usize = 256 * 1024;

/// What an open element means for the result.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Frame {
    Entities {
        valid_until: Option<OffsetDateTime>,
        signed: bool,
    },
    Entity,
    Role(Role),
    /// A `KeyDescriptor`, `KeyInfo` or `X509Data`; `Some(place)` when its certificates are for signing.
    Key(Option<String>),
    Certificate(String, Position),
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    IdpSso,
    SpSso,
    /// WS-Federation `RoleDescriptor xsi:type="fed:SecurityTokenServiceType"`.
    SecurityTokenService,
}

impl Role {
    fn label(self) -> &'static str {
        match self {
            Role::IdpSso => "IDPSSODescriptor",
            Role::SpSso => "SPSSODescriptor",
            Role::SecurityTokenService => "RoleDescriptor[fed:SecurityTokenServiceType]",
        }
    }
}

/// The entity being read.
struct OpenEntity {
    entity_id: String,
    position: Position,
    signed: bool,
    valid_until: Option<OffsetDateTime>,
    idp: Option<IdpRole>,
    sp: Option<SpRole>,
    /// Base64 text, where it was found, and its position, parsed when the entity closes.
    certificates: Vec<(String, String, Position)>,
}

struct Builder<'o> {
    options: &'o ParseOptions,
    root: Option<RootElement>,
    root_closed: bool,
    name: Option<String>,
    signed: bool,
    stack: Vec<Frame>,
    open_names: Vec<String>,
    entity: Option<OpenEntity>,
    certificate_text: String,
    entities: Vec<Entity>,
    warnings: Vec<String>,
}

/// Reads `text` (UTF-8 without a byte-order mark) into [`Metadata`].
pub(super) fn read(text: &[u8], options: &ParseOptions) -> Result<Metadata, MetadataError> {
    let first = text.iter().position(|b| !b.is_ascii_whitespace());
    if first.is_some_and(|i| text.get(i) != Some(&b'<')) {
        return Err(MetadataError::NotMetadata {
            found: "(no element: the content is not XML)".into(),
            hint: ". Pick the metadata XML file (FederationMetadata.xml), not a certificate or a web page's text".into(),
            position: position_at(text, first.unwrap_or(0)),
        });
    }
    let mut reader = NsReader::from_reader(text);
    let mut cursor = PositionCursor::default();
    let mut builder = Builder {
        options,
        root: None,
        root_closed: false,
        name: None,
        signed: false,
        stack: Vec::new(),
        open_names: Vec::new(),
        entity: None,
        certificate_text: String::new(),
        entities: Vec::new(),
        warnings: Vec::new(),
    };
    loop {
        let start = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let position = cursor.at(text, start);
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(error) => {
                let at = usize::try_from(reader.error_position()).unwrap_or(usize::MAX);
                // A tag cut off at the end of the input is a truncated download, not a typo.
                if let (quick_xml::Error::Syntax(_), Some(open)) =
                    (&error, builder.open_names.first())
                    && reader.buffer_position() >= text.len() as u64
                {
                    return Err(MetadataError::Truncated { open: open.clone() });
                }
                return Err(xml_error(error, position_at(text, at)));
            }
        };
        match event {
            Event::Start(element) => builder.open(&reader, &element, position, false)?,
            Event::Empty(element) => builder.open(&reader, &element, position, true)?,
            Event::End(_) => builder.close(),
            Event::Text(content) => {
                let content = content.xml10_content();
                builder.text(&content, position)?;
            }
            Event::CData(content) => {
                let content = content.xml10_content();
                builder.text(&content, position)?;
            }
            Event::GeneralRef(reference) => {
                let character = match reference.resolve_char_ref() {
                    Ok(Some(character)) => character,
                    Ok(None) => {
                        predefined_entity(&reference).ok_or_else(|| MetadataError::Entity {
                            name: reference.to_string(),
                            position,
                        })?
                    }
                    Err(error) => {
                        return Err(MetadataError::Syntax {
                            reason: error.to_string(),
                            position,
                        });
                    }
                };
                builder.text(character.encode_utf8(&mut [0; 4]), position)?;
            }
            Event::DocType(_) => return Err(MetadataError::Doctype { position }),
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
            Event::Eof => break,
        }
    }
    builder.finish()
}

impl Builder<'_> {
    fn open(
        &mut self,
        reader: &NsReader<&[u8]>,
        element: &BytesStart<'_>,
        position: Position,
        empty: bool,
    ) -> Result<(), MetadataError> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(MetadataError::TooDeep {
                limit: MAX_DEPTH,
                position,
            });
        }
        let (namespace, local) = reader.resolver().resolve_element(element.name());
        let namespace = match namespace {
            ResolveResult::Bound(namespace) => Some(namespace.into_inner().to_owned()),
            _ => None,
        };
        let is =
            |uri: &str, name: &str| namespace.as_deref() == Some(uri) && local.as_ref() == name;
        let written = element.name().as_ref().to_owned();
        let attributes = Attributes::read(element, position)?;

        let frame = match self.stack.last().cloned() {
            None => self.open_root(
                &written,
                namespace.as_deref(),
                local.as_ref(),
                &attributes,
                position,
            )?,
            Some(Frame::Entities { .. }) if is(ns::MD, "EntitiesDescriptor") => {
                self.open_entities(&attributes, position)
            }
            Some(Frame::Entities { .. }) if is(ns::MD, "EntityDescriptor") => {
                self.open_entity(&attributes, position)
            }
            Some(Frame::Entities { .. } | Frame::Entity) if is(ns::DS, "Signature") => {
                self.mark_signed();
                Frame::Other
            }
            Some(Frame::Entity) => self.open_role(reader, &is, &attributes),
            Some(Frame::Role(role)) => self.open_in_role(role, &is, &attributes, position),
            Some(Frame::Key(place)) if is(ns::DS, "KeyInfo") || is(ns::DS, "X509Data") => {
                Frame::Key(place)
            }
            Some(Frame::Key(Some(place))) if is(ns::DS, "X509Certificate") => {
                self.certificate_text.clear();
                Frame::Certificate(place, position)
            }
            Some(_) => Frame::Other,
        };
        self.stack.push(frame);
        self.open_names.push(written);
        if empty {
            self.close();
        }
        Ok(())
    }

    fn open_root(
        &mut self,
        written: &str,
        namespace: Option<&str>,
        local: &str,
        attributes: &Attributes,
        position: Position,
    ) -> Result<Frame, MetadataError> {
        if self.root_closed {
            return Err(MetadataError::TrailingContent { position });
        }
        let in_md = namespace == Some(ns::MD);
        match local {
            "EntityDescriptor" | "EntitiesDescriptor" if !in_md => {
                Err(MetadataError::WrongNamespace {
                    found: written.to_owned(),
                    namespace: namespace
                        .map_or_else(|| "no namespace".to_owned(), |uri| format!("\"{uri}\"")),
                    position,
                })
            }
            "EntityDescriptor" => {
                self.root = Some(RootElement::EntityDescriptor);
                Ok(self.open_entity(attributes, position))
            }
            "EntitiesDescriptor" => {
                self.root = Some(RootElement::EntitiesDescriptor);
                self.name = attributes.get("Name").map(str::to_owned);
                Ok(self.open_entities(attributes, position))
            }
            _ => Err(MetadataError::NotMetadata {
                found: written.to_owned(),
                hint: look_alike_hint(local).to_owned(),
                position,
            }),
        }
    }

    fn open_entities(&mut self, attributes: &Attributes, position: Position) -> Frame {
        let valid_until = self.valid_until(attributes, "the aggregate", position);
        Frame::Entities {
            valid_until,
            signed: false,
        }
    }

    fn open_entity(&mut self, attributes: &Attributes, position: Position) -> Frame {
        let Some(entity_id) = attributes
            .get("entityID")
            .filter(|id| !id.trim().is_empty())
        else {
            self.warnings.push(format!(
                "{position}: an EntityDescriptor has no entityID and was skipped"
            ));
            return Frame::Other;
        };
        let entity_id = entity_id.trim().to_owned();
        let own = self.valid_until(attributes, &entity_id, position);
        let inherited = self.stack.iter().filter_map(|frame| match frame {
            Frame::Entities { valid_until, .. } => *valid_until,
            _ => None,
        });
        let signed_by_aggregate = self
            .stack
            .iter()
            .any(|frame| matches!(frame, Frame::Entities { signed: true, .. }));
        self.entity = Some(OpenEntity {
            entity_id,
            position,
            signed: signed_by_aggregate,
            valid_until: own.into_iter().chain(inherited).min(),
            idp: None,
            sp: None,
            certificates: Vec::new(),
        });
        Frame::Entity
    }

    fn open_role(
        &mut self,
        reader: &NsReader<&[u8]>,
        is: &dyn Fn(&str, &str) -> bool,
        attributes: &Attributes,
    ) -> Frame {
        let Some(entity) = self.entity.as_mut() else {
            return Frame::Other;
        };
        if is(ns::MD, "IDPSSODescriptor") {
            entity.idp.get_or_insert_with(IdpRole::default);
            Frame::Role(Role::IdpSso)
        } else if is(ns::MD, "SPSSODescriptor") {
            entity.sp.get_or_insert_with(SpRole::default);
            Frame::Role(Role::SpSso)
        } else if is(ns::MD, "RoleDescriptor") && is_security_token_service(reader, attributes) {
            entity.idp.get_or_insert_with(IdpRole::default);
            Frame::Role(Role::SecurityTokenService)
        } else {
            Frame::Other
        }
    }

    fn open_in_role(
        &mut self,
        role: Role,
        is: &dyn Fn(&str, &str) -> bool,
        attributes: &Attributes,
        position: Position,
    ) -> Frame {
        if is(ns::MD, "KeyDescriptor") {
            let signing_role = matches!(role, Role::IdpSso | Role::SecurityTokenService);
            return match attributes.get("use") {
                None if signing_role => Frame::Key(Some(format!(
                    "{}/KeyDescriptor[use=(absent)]",
                    role.label()
                ))),
                Some("signing") if signing_role => {
                    Frame::Key(Some(format!("{}/KeyDescriptor[use=signing]", role.label())))
                }
                _ => Frame::Key(None),
            };
        }
        let Some(entity) = self.entity.as_mut() else {
            return Frame::Other;
        };
        let endpoint = || -> Option<(String, String)> {
            Some((
                attributes.get("Binding")?.to_owned(),
                attributes.get("Location")?.trim().to_owned(),
            ))
        };
        let target = match role {
            Role::IdpSso if is(ns::MD, "SingleSignOnService") => {
                entity.idp.as_mut().map(|idp| &mut idp.sso)
            }
            Role::IdpSso if is(ns::MD, "SingleLogoutService") => {
                entity.idp.as_mut().map(|idp| &mut idp.slo)
            }
            Role::SpSso if is(ns::MD, "AssertionConsumerService") => {
                match (endpoint(), entity.sp.as_mut()) {
                    (Some((binding, location)), Some(sp)) => {
                        let index = attributes.get("index").and_then(|i| i.trim().parse().ok());
                        let is_default = attributes.get("isDefault").and_then(parse_xs_boolean);
                        sp.acs.push(IndexedEndpoint {
                            binding,
                            location,
                            index,
                            is_default,
                        });
                    }
                    _ => self.warnings.push(format!(
                        "{position}: an AssertionConsumerService of {} has no Binding or Location and was skipped",
                        entity.entity_id
                    )),
                }
                return Frame::Other;
            }
            _ => return Frame::Other,
        };
        match (endpoint(), target) {
            (Some((binding, location)), Some(list)) => list.push(Endpoint { binding, location }),
            _ => self.warnings.push(format!(
                "{position}: an endpoint of {} has no Binding or Location and was skipped",
                entity.entity_id
            )),
        }
        Frame::Other
    }

    fn mark_signed(&mut self) {
        match self.stack.last_mut() {
            Some(Frame::Entities { signed, .. }) => *signed = true,
            Some(Frame::Entity) => {
                if let Some(entity) = self.entity.as_mut() {
                    entity.signed = true;
                }
            }
            _ => {}
        }
        if self.stack.len() == 1 {
            self.signed = true;
        }
    }

    fn text(&mut self, content: &str, position: Position) -> Result<(), MetadataError> {
        match self.stack.last() {
            Some(Frame::Certificate(..)) => {
                if self.certificate_text.len() + content.len() > MAX_CERTIFICATE_TEXT {
                    self.warnings.push(format!(
                        "{position}: an X509Certificate is longer than {MAX_CERTIFICATE_TEXT} characters and was cut off"
                    ));
                    self.certificate_text.clear();
                    // Replace the frame so the rest of this element is ignored.
                    if let Some(frame) = self.stack.last_mut() {
                        *frame = Frame::Other;
                    }
                } else {
                    self.certificate_text.push_str(content);
                }
                Ok(())
            }
            None if !content.trim().is_empty() => {
                if self.root_closed {
                    Err(MetadataError::TrailingContent { position })
                } else {
                    Err(MetadataError::NotMetadata {
                        found: "(text before the first element)".into(),
                        hint: String::new(),
                        position,
                    })
                }
            }
            _ => Ok(()),
        }
    }

    fn close(&mut self) {
        self.open_names.pop();
        match self.stack.pop() {
            Some(Frame::Certificate(place, position)) => {
                let text = std::mem::take(&mut self.certificate_text);
                if let Some(entity) = self.entity.as_mut() {
                    entity.certificates.push((text, place, position));
                }
            }
            Some(Frame::Entity) => self.finish_entity(),
            _ => {}
        }
        if self.stack.is_empty() {
            self.root_closed = true;
        }
    }

    fn finish_entity(&mut self) {
        let Some(open) = self.entity.take() else {
            return;
        };
        let mut idp = open.idp;
        if let Some(idp) = idp.as_mut() {
            for (text, place, position) in open.certificates {
                match Certificate::from_base64(&text) {
                    Ok(certificate) => add_unique(&mut idp.signing_certificates, certificate, place),
                    Err(error) => self.warnings.push(format!(
                        "{position}: a signing certificate of {} ({place}) cannot be read and was skipped: {error}",
                        open.entity_id
                    )),
                }
            }
            if idp.signing_certificates.is_empty() {
                self.warnings.push(format!(
                    "{}: the identity provider publishes no usable signing certificate, so GoTo cannot check its sign-ins",
                    open.entity_id
                ));
            }
        }
        let (kind, kind_reason) = classify::classify(
            &open.entity_id,
            idp.as_ref(),
            self.options.source.as_deref(),
        );
        self.entities.push(Entity {
            entity_id: open.entity_id,
            kind,
            kind_reason,
            signed: open.signed,
            valid_until: open.valid_until,
            idp,
            sp: open.sp,
            position: open.position,
        });
    }

    fn valid_until(
        &mut self,
        attributes: &Attributes,
        whose: &str,
        position: Position,
    ) -> Option<OffsetDateTime> {
        let text = attributes.get("validUntil")?;
        let Some(valid_until) = parse_xs_datetime(text) else {
            self.warnings.push(format!(
                "{position}: validUntil=\"{text}\" of {whose} is not a date and time; it was ignored"
            ));
            return None;
        };
        if valid_until < self.options.now {
            self.warnings.push(format!(
                "{whose}: the metadata expired on {} (validUntil); service providers may refuse it. \
                 Download a fresh copy from the identity provider",
                crate::time_format::rfc3339(valid_until)
            ));
        }
        Some(valid_until)
    }

    fn finish(self) -> Result<Metadata, MetadataError> {
        if let Some(open) = self.open_names.first() {
            return Err(MetadataError::Truncated { open: open.clone() });
        }
        let Some(root) = self.root else {
            return Err(MetadataError::NoEntities);
        };
        if self.entities.is_empty() {
            return Err(MetadataError::NoEntities);
        }
        let mut warnings = self.warnings;
        if !self.entities.iter().any(|entity| entity.idp.is_some()) {
            warnings.push(
                "no entity in this document is an identity provider (it looks like service-provider metadata): \
                 GoTo needs the identity provider's metadata from Entra"
                    .to_owned(),
            );
        }
        Ok(Metadata {
            root,
            name: self.name,
            signed: self.signed,
            entities: self.entities,
            warnings,
        })
    }
}

fn add_unique(list: &mut Vec<SigningCertificate>, certificate: Certificate, place: String) {
    if let Some(known) = list
        .iter_mut()
        .find(|known| known.certificate.der() == certificate.der())
    {
        if !known.found_in.contains(&place) {
            known.found_in.push(place);
        }
    } else {
        list.push(SigningCertificate {
            certificate,
            found_in: vec![place],
        });
    }
}

/// Attribute values of one element, without namespace (the metadata attributes the reader
/// uses are all unqualified) and with `xsi:type` kept apart.
struct Attributes {
    plain: Vec<(String, String)>,
    /// The `*:type` attribute as written (qualified name, value); its prefix is resolved later.
    xsi_type: Option<(String, String)>,
}

impl Attributes {
    fn read(element: &BytesStart<'_>, position: Position) -> Result<Self, MetadataError> {
        let mut plain = Vec::new();
        let mut xsi_type = None;
        for attribute in element.attributes() {
            let attribute = attribute.map_err(|error| MetadataError::Syntax {
                reason: error.to_string(),
                position,
            })?;
            let value = attribute
                .normalized_value(XmlVersion::Implicit1_0)
                .map_err(|error| xml_error(error, position))?
                .into_owned();
            let key = attribute.key;
            match key.prefix() {
                None => plain.push((key.as_ref().to_owned(), value)),
                Some(_) if key.local_name().as_ref() == "type" => {
                    xsi_type = Some((key.as_ref().to_owned(), value))
                }
                Some(_) => {}
            }
        }
        Ok(Self { plain, xsi_type })
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.plain
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

/// True for `RoleDescriptor xsi:type="<fed ns>:SecurityTokenServiceType"`, whatever the prefixes.
fn is_security_token_service(reader: &NsReader<&[u8]>, attributes: &Attributes) -> bool {
    let Some((key, value)) = &attributes.xsi_type else {
        return false;
    };
    let resolver = reader.resolver();
    let (key_ns, _) = resolver.resolve_attribute(QName(key));
    let (value_ns, value_local) = resolver.resolve_element(QName(value.trim()));
    matches!(key_ns, ResolveResult::Bound(uri) if uri.as_ref() == ns::XSI)
        && matches!(value_ns, ResolveResult::Bound(uri) if uri.as_ref() == ns::FED)
        && value_local.as_ref() == "SecurityTokenServiceType"
}

fn predefined_entity(name: &str) -> Option<char> {
    match name {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "apos" => Some('\''),
        "quot" => Some('"'),
        _ => None,
    }
}

fn xml_error(error: quick_xml::Error, position: Position) -> MetadataError {
    match error {
        quick_xml::Error::Escape(EscapeError::UnrecognizedEntity(_, name)) => {
            MetadataError::Entity { name, position }
        }
        other => MetadataError::Syntax {
            reason: other.to_string(),
            position,
        },
    }
}

fn look_alike_hint(local: &str) -> &'static str {
    match local {
        "html" | "HTML" => {
            ". It is a web page (perhaps a sign-in or error page saved instead of the metadata): \
                             download the metadata XML itself"
        }
        "Response" | "Assertion" => {
            ". It is a SAML message, not metadata: use `goto-sso-wizard diagnose` for it"
        }
        "Error" => ". The server answered with an error document instead of the metadata",
        _ => {
            ". Expected <EntityDescriptor> or <EntitiesDescriptor> in urn:oasis:names:tc:SAML:2.0:metadata"
        }
    }
}

/// `xs:dateTime`: RFC 3339, and also without a zone (then UTC, as SAML requires).
fn parse_xs_datetime(text: &str) -> Option<OffsetDateTime> {
    use time::format_description::well_known::Rfc3339;
    let text = text.trim();
    OffsetDateTime::parse(text, &Rfc3339)
        .or_else(|_| OffsetDateTime::parse(&format!("{text}Z"), &Rfc3339))
        .ok()
}

fn parse_xs_boolean(text: &str) -> Option<bool> {
    match text.trim() {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}

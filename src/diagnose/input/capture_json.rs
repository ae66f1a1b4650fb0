//! HAR files and SAML-tracer exports, read as a stream: no JSON tree is built (a 50 MB HAR of a
//! whole browsing session would take several times its size as `serde_json::Value`), strings are
//! borrowed from the input where they have no escapes, and only the few fields that can hold a
//! SAML message are kept. Forgiving: an entry, a request or a field of an unexpected shape (a
//! number where an object belongs, say) is skipped, not an error.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// What a capture's JSON holds that matters.
#[derive(Debug, Default)]
pub(super) struct Shape {
    /// `log.entries` was there (a HAR file).
    pub har: bool,
    /// `requests` was there (a SAML-tracer export).
    pub tracer: bool,
}

/// One request of the capture, as far as SAML cares.
#[derive(Debug, Default)]
pub(super) struct Request<'a> {
    /// From a SAML-tracer export (else from a HAR file).
    pub tracer: bool,
    /// The HTTP method.
    pub method: Option<Cow<'a, str>>,
    /// The URL (the redirect binding's messages are in its query).
    pub url: Option<Cow<'a, str>>,
    /// A HAR's parsed form parameters (values URL-encoded, as HAR keeps them).
    pub har_params: Vec<(Cow<'a, str>, Cow<'a, str>)>,
    /// A HAR's raw body.
    pub har_body: Option<Cow<'a, str>>,
    /// SAML-tracer's POST parameters (values decoded).
    pub tracer_post: Vec<(Cow<'a, str>, Cow<'a, str>)>,
    /// When the browser sent it (HAR's `startedDateTime`).
    pub started: Option<Cow<'a, str>>,
}

/// Reads `json`, handing each request to `each` (with its 1-based number among the entries) as
/// it is read; `each` answers `false` to stop looking at further requests (they are still
/// read past, cheaply).
pub(super) fn read<'a>(
    json: &'a str,
    each: &mut dyn FnMut(usize, Request<'a>) -> bool,
) -> Result<Shape, serde_json::Error> {
    let mut shape = Shape::default();
    let mut deserializer = serde_json::Deserializer::from_str(json);
    Lenient(Top {
        shape: &mut shape,
        each,
    })
    .deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok(shape)
}

/// An object read key by key; anything else in its place is skipped.
trait ObjectSeed<'de> {
    /// Reads the value of `key` from `map` (or skips it).
    fn field<A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error>;
}

/// Reads a value with `T` when it has the shape `T` reads (an object or a list), and skips
/// any other.
struct Lenient<T>(T);

/// What a lenient reader does with each shape.
trait Shaped<'de> {
    fn object<A: MapAccess<'de>>(&mut self, map: A) -> Result<(), A::Error> {
        skip_map(map)
    }
    fn list<A: SeqAccess<'de>>(&mut self, seq: A) -> Result<(), A::Error> {
        skip_seq(seq)
    }
}

fn skip_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<(), A::Error> {
    while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
    Ok(())
}

fn skip_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<(), A::Error> {
    while seq.next_element::<IgnoredAny>()?.is_some() {}
    Ok(())
}

/// The keys of `map`, each handed to `seed`.
fn each_field<'de, A: MapAccess<'de>, S: ObjectSeed<'de>>(
    mut map: A,
    seed: &mut S,
) -> Result<(), A::Error> {
    while let Some(key) = map.next_key::<Cow<'de, str>>()? {
        seed.field(&key, &mut map)?;
    }
    Ok(())
}

impl<'de, T: Shaped<'de>> DeserializeSeed<'de> for Lenient<T> {
    type Value = T;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de, T: Shaped<'de>> Visitor<'de> for Lenient<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_map<A: MapAccess<'de>>(mut self, map: A) -> Result<T, A::Error> {
        self.0.object(map)?;
        Ok(self.0)
    }
    fn visit_seq<A: SeqAccess<'de>>(mut self, seq: A) -> Result<T, A::Error> {
        self.0.list(seq)?;
        Ok(self.0)
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<T, E> {
        Ok(self.0)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<T, E> {
        Ok(self.0)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<T, E> {
        Ok(self.0)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<T, E> {
        Ok(self.0)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<T, E> {
        Ok(self.0)
    }
    fn visit_unit<E: de::Error>(self) -> Result<T, E> {
        Ok(self.0)
    }
}

/// A string (borrowed from the input when it has no escapes), `None` for any other value.
struct Text<'de>(Option<Cow<'de, str>>);

impl<'de> Deserialize<'de> for Text<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl<'de> Visitor<'de> for TextVisitor {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Text<'de>, E> {
                Ok(Text(Some(Cow::Borrowed(v))))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text<'de>, E> {
                Ok(Text(Some(Cow::Owned(v.to_owned()))))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Text<'de>, E> {
                Ok(Text(Some(Cow::Owned(v))))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Text<'de>, A::Error> {
                skip_map(map).map(|()| Text(None))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Text<'de>, A::Error> {
                skip_seq(seq).map(|()| Text(None))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Text<'de>, E> {
                Ok(Text(None))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Text<'de>, E> {
                Ok(Text(None))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Text<'de>, E> {
                Ok(Text(None))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Text<'de>, E> {
                Ok(Text(None))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Text<'de>, E> {
                Ok(Text(None))
            }
        }
        deserializer.deserialize_any(TextVisitor)
    }
}

fn text<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Option<Cow<'de, str>>, A::Error> {
    map.next_value::<Text<'de>>().map(|text| text.0)
}

/// The top: `log.entries` (HAR) or `requests` (SAML-tracer).
struct Top<'s, 'e, 'de> {
    shape: &'s mut Shape,
    each: &'e mut dyn FnMut(usize, Request<'de>) -> bool,
}

impl<'de> Shaped<'de> for Top<'_, '_, 'de> {
    fn object<A: MapAccess<'de>>(&mut self, map: A) -> Result<(), A::Error> {
        each_field(map, self)
    }
}

impl<'de> ObjectSeed<'de> for Top<'_, '_, 'de> {
    fn field<A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
        match key {
            "log" => map
                .next_value_seed(Lenient(Log {
                    top: Top {
                        shape: self.shape,
                        each: self.each,
                    },
                }))
                .map(drop),
            "requests" => {
                self.shape.tracer = true;
                map.next_value_seed(Lenient(Requests {
                    each: self.each,
                    tracer: true,
                    number: 0,
                    stopped: false,
                }))
                .map(drop)
            }
            _ => map.next_value::<IgnoredAny>().map(drop),
        }
    }
}

/// A HAR's `log`.
struct Log<'s, 'e, 'de> {
    top: Top<'s, 'e, 'de>,
}

impl<'de> Shaped<'de> for Log<'_, '_, 'de> {
    fn object<A: MapAccess<'de>>(&mut self, map: A) -> Result<(), A::Error> {
        each_field(map, self)
    }
}

impl<'de> ObjectSeed<'de> for Log<'_, '_, 'de> {
    fn field<A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
        if key != "entries" {
            return map.next_value::<IgnoredAny>().map(drop);
        }
        self.top.shape.har = true;
        map.next_value_seed(Lenient(Requests {
            each: self.top.each,
            tracer: false,
            number: 0,
            stopped: false,
        }))
        .map(drop)
    }
}

/// `log.entries` or `requests`, each element handed on as it is read.
struct Requests<'e, 'de> {
    each: &'e mut dyn FnMut(usize, Request<'de>) -> bool,
    tracer: bool,
    number: usize,
    stopped: bool,
}

impl<'de> Shaped<'de> for Requests<'_, 'de> {
    fn list<A: SeqAccess<'de>>(&mut self, mut seq: A) -> Result<(), A::Error> {
        loop {
            if self.stopped {
                return skip_seq(seq);
            }
            let Some(entry) = seq.next_element_seed(Lenient(Entry {
                tracer: self.tracer,
                request: Request {
                    tracer: self.tracer,
                    ..Request::default()
                },
            }))?
            else {
                return Ok(());
            };
            self.number += 1;
            if !(self.each)(self.number, entry.request) {
                self.stopped = true;
            }
        }
    }
}

/// A HAR entry (`startedDateTime`, `request`) or a SAML-tracer request.
struct Entry<'de> {
    tracer: bool,
    request: Request<'de>,
}

impl<'de> Shaped<'de> for Entry<'de> {
    fn object<A: MapAccess<'de>>(&mut self, map: A) -> Result<(), A::Error> {
        each_field(map, self)
    }
}

impl<'de> ObjectSeed<'de> for Entry<'de> {
    fn field<A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
        match (self.tracer, key) {
            (false, "startedDateTime") => self.request.started = text(map)?,
            (false, "request") => {
                let request = std::mem::take(&mut self.request);
                self.request = map.next_value_seed(Lenient(HarRequest(request)))?.0;
            }
            (true, "method") => self.request.method = text(map)?,
            (true, "url") => self.request.url = text(map)?,
            (true, "post") => {
                self.request.tracer_post = map.next_value_seed(Lenient(Pairs::default()))?.0;
            }
            _ => map.next_value::<IgnoredAny>().map(drop)?,
        }
        Ok(())
    }
}

/// A HAR entry's `request`.
struct HarRequest<'de>(Request<'de>);

impl<'de> Shaped<'de> for HarRequest<'de> {
    fn object<A: MapAccess<'de>>(&mut self, map: A) -> Result<(), A::Error> {
        each_field(map, self)
    }
}

impl<'de> ObjectSeed<'de> for HarRequest<'de> {
    fn field<A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
        match key {
            "method" => self.0.method = text(map)?,
            "url" => self.0.url = text(map)?,
            "postData" => {
                let post = map.next_value_seed(Lenient(PostData::default()))?;
                self.0.har_params = post.params.0;
                self.0.har_body = post.text;
            }
            _ => map.next_value::<IgnoredAny>().map(drop)?,
        }
        Ok(())
    }
}

/// A HAR request's `postData`.
#[derive(Default)]
struct PostData<'de> {
    text: Option<Cow<'de, str>>,
    params: Params<'de>,
}

impl<'de> Shaped<'de> for PostData<'de> {
    fn object<A: MapAccess<'de>>(&mut self, map: A) -> Result<(), A::Error> {
        each_field(map, self)
    }
}

impl<'de> ObjectSeed<'de> for PostData<'de> {
    fn field<A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
        match key {
            "text" => self.text = text(map)?,
            "params" => {
                self.params = map.next_value_seed(Lenient(Params::default()))?;
            }
            _ => map.next_value::<IgnoredAny>().map(drop)?,
        }
        Ok(())
    }
}

/// HAR's `params`: `[{"name": …, "value": …}]`.
#[derive(Default)]
struct Params<'de>(Vec<(Cow<'de, str>, Cow<'de, str>)>);

impl<'de> Shaped<'de> for Params<'de> {
    fn list<A: SeqAccess<'de>>(&mut self, mut seq: A) -> Result<(), A::Error> {
        while let Some(param) = seq.next_element_seed(Lenient(Param::default()))? {
            if let (Some(name), Some(value)) = (param.name, param.value) {
                self.0.push((name, value));
            }
        }
        Ok(())
    }
}

#[derive(Default)]
struct Param<'de> {
    name: Option<Cow<'de, str>>,
    value: Option<Cow<'de, str>>,
}

impl<'de> Shaped<'de> for Param<'de> {
    fn object<A: MapAccess<'de>>(&mut self, map: A) -> Result<(), A::Error> {
        each_field(map, self)
    }
}

impl<'de> ObjectSeed<'de> for Param<'de> {
    fn field<A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
        match key {
            "name" => self.name = text(map)?,
            "value" => self.value = text(map)?,
            _ => map.next_value::<IgnoredAny>().map(drop)?,
        }
        Ok(())
    }
}

/// SAML-tracer's `post`: `[[name, value], …]`.
#[derive(Default)]
struct Pairs<'de>(Vec<(Cow<'de, str>, Cow<'de, str>)>);

impl<'de> Shaped<'de> for Pairs<'de> {
    fn list<A: SeqAccess<'de>>(&mut self, mut seq: A) -> Result<(), A::Error> {
        while let Some(mut pair) = seq.next_element_seed(Lenient(Pair::default()))? {
            if let [Some(name), Some(value), ..] = &mut pair.0[..] {
                self.0.push((std::mem::take(name), std::mem::take(value)));
            }
        }
        Ok(())
    }
}

#[derive(Default)]
struct Pair<'de>(Vec<Option<Cow<'de, str>>>);

impl<'de> Shaped<'de> for Pair<'de> {
    fn list<A: SeqAccess<'de>>(&mut self, mut seq: A) -> Result<(), A::Error> {
        while let Some(item) = seq.next_element::<Text<'de>>()? {
            if self.0.len() < 2 {
                self.0.push(item.0);
            }
        }
        Ok(())
    }
}

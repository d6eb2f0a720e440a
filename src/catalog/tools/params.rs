//! Typed tool arguments. Each tool's params struct is made of these types,
//! so one declaration gives both the input JSON schema (schemars) and the
//! checks, and every refusal names the parameter.
//!
//! Numbers are accepted as JSON integers, integral floats (`5.0`) and digit
//! strings (`"5"`, a common model habit), then range-checked; anything else
//! (`"1/../admin"`, `-1`, `1.5`) is refused before a request is built.

use std::borrow::Cow;
use std::fmt;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::de::{self, DeserializeOwned, Deserializer, Visitor};
use serde::Deserialize;
use serde_json::Value;

use super::dates;
use crate::text::clip;

/// Largest integer a JSON number carries exactly in every client
/// (JavaScript's `Number.MAX_SAFE_INTEGER`).
pub const MAX_SAFE: i64 = (1 << 53) - 1;

/// Message of a missing required value (also produced for an explicit null).
const REQUIRED: &str = "__required__";

/// An integer in `MIN..=MAX`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Int<const MIN: i64, const MAX: i64>(pub i64);

/// An id that goes into an upstream path: an integer ≥ 1.
pub type Id = Int<1, MAX_SAFE>;

impl<const MIN: i64, const MAX: i64> Int<MIN, MAX> {
    pub fn get(self) -> i64 {
        self.0
    }
}

impl<const MIN: i64, const MAX: i64> fmt::Display for Int<MIN, MAX> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl<'de, const MIN: i64, const MAX: i64> Deserialize<'de> for Int<MIN, MAX> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<const MIN: i64, const MAX: i64>;
        impl<const MIN: i64, const MAX: i64> V<MIN, MAX> {
            fn check<E: de::Error>(n: i128) -> Result<Int<MIN, MAX>, E> {
                if n < i128::from(MIN) {
                    Err(E::custom(format!("must be >= {MIN}, got {n}")))
                } else if n > i128::from(MAX) {
                    Err(E::custom(format!("must be <= {MAX}, got {n}")))
                } else {
                    // In range, so it fits.
                    Ok(Int(n as i64))
                }
            }
        }
        impl<const MIN: i64, const MAX: i64> Visitor<'_> for V<MIN, MAX> {
            type Value = Int<MIN, MAX>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an integer")
            }
            fn visit_i64<E: de::Error>(self, n: i64) -> Result<Self::Value, E> {
                Self::check(i128::from(n))
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<Self::Value, E> {
                Self::check(i128::from(n))
            }
            fn visit_f64<E: de::Error>(self, n: f64) -> Result<Self::Value, E> {
                if n.is_finite() && n.fract() == 0.0 && n.abs() < 1e18 {
                    Self::check(n as i128)
                } else {
                    Err(E::custom(format!("expected an integer, got {n}")))
                }
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
                let digits = s.strip_prefix('-').unwrap_or(s);
                match s.parse::<i128>() {
                    Ok(n) if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) => {
                        Self::check(n)
                    }
                    _ => Err(E::custom(format!(
                        "expected an integer, got {}",
                        Value::from(s)
                    ))),
                }
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Err(E::custom(REQUIRED))
            }
        }
        d.deserialize_any(V::<MIN, MAX>)
    }
}

impl<const MIN: i64, const MAX: i64> JsonSchema for Int<MIN, MAX> {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> Cow<'static, str> {
        format!("Int_{MIN}_{MAX}").into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        if MAX == MAX_SAFE {
            json_schema!({ "type": "integer", "minimum": MIN })
        } else {
            json_schema!({ "type": "integer", "minimum": MIN, "maximum": MAX })
        }
    }
}

/// A string that must hold JSON (an agent's input parameters). A JSON object
/// given directly is accepted and serialised: models often send one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonText(pub String);

impl<'de> Deserialize<'de> for JsonText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Value::deserialize(d)? {
            Value::Null => Err(de::Error::custom(REQUIRED)),
            Value::String(s) => match serde_json::from_str::<Value>(&s) {
                Ok(_) => Ok(JsonText(s)),
                Err(_) => Err(de::Error::custom(format!(
                    "must be a valid JSON string, got {}",
                    Value::from(clip(&s, 100))
                ))),
            },
            v @ (Value::Object(_) | Value::Array(_)) => Ok(JsonText(v.to_string())),
            other => Err(de::Error::custom(format!(
                "expected a JSON string, got {}",
                type_name(&other)
            ))),
        }
    }
}

impl JsonSchema for JsonText {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> Cow<'static, str> {
        "JsonText".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string" })
    }
}

/// An ISO 8601 date or date-time (`2026-01-01`, `2026-01-01T00:00:00Z`),
/// checked to be a real calendar date. Kept as given; [`IsoDate::millis`]
/// orders them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IsoDate {
    pub text: String,
    pub millis: i64,
}

impl<'de> Deserialize<'de> for IsoDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Value::deserialize(d)? {
            Value::Null => Err(de::Error::custom(REQUIRED)),
            Value::String(s) => match dates::parse_iso(s.trim()) {
                Some(millis) => Ok(IsoDate {
                    text: s.trim().to_owned(),
                    millis,
                }),
                None => Err(de::Error::custom(format!(
                    "expected an ISO 8601 date such as 2026-01-01 or 2026-01-01T00:00:00Z, got {}",
                    Value::from(clip(&s, 40))
                ))),
            },
            other => Err(de::Error::custom(format!(
                "expected an ISO 8601 date string, got {}",
                type_name(&other)
            ))),
        }
    }
}

impl JsonSchema for IsoDate {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> Cow<'static, str> {
        "IsoDate".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string" })
    }
}

/// A string of `MIN..=MAX` characters (Unicode scalar values).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text<const MIN: usize, const MAX: usize>(pub String);

impl<const MIN: usize, const MAX: usize> Text<MIN, MAX> {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de, const MIN: usize, const MAX: usize> Deserialize<'de> for Text<MIN, MAX> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Value::deserialize(d)? {
            Value::Null => Err(de::Error::custom(REQUIRED)),
            Value::String(s) => {
                let n = s.chars().count();
                let plural = |k: usize| if k == 1 { "" } else { "s" };
                if n < MIN {
                    Err(de::Error::custom(format!(
                        "must be at least {MIN} character{}, got {n}",
                        plural(MIN)
                    )))
                } else if n > MAX {
                    Err(de::Error::custom(format!(
                        "must be at most {MAX} character{}, got {n}",
                        plural(MAX)
                    )))
                } else {
                    Ok(Text(s))
                }
            }
            other => Err(de::Error::custom(format!(
                "expected a string, got {}",
                type_name(&other)
            ))),
        }
    }
}

impl<const MIN: usize, const MAX: usize> JsonSchema for Text<MIN, MAX> {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> Cow<'static, str> {
        format!("Text_{MIN}_{MAX}").into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string", "minLength": MIN, "maxLength": MAX })
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Decodes a `tools/call` `arguments` object into `T`. The error says which
/// parameter is wrong and how, in words a model can act on.
pub fn parse<T: DeserializeOwned>(arguments: Option<Value>) -> Result<T, String> {
    let arguments = match arguments {
        None | Some(Value::Null) => Value::Object(Default::default()),
        Some(v @ Value::Object(_)) => v,
        Some(other) => {
            return Err(format!(
                "arguments must be a JSON object, got {}",
                type_name(&other)
            ))
        }
    };
    serde_path_to_error::deserialize(arguments).map_err(|e| {
        let path = e.path().to_string();
        explain(&path, &e.into_inner().to_string())
    })
}

/// Rewrites serde's wording into ours.
fn explain(path: &str, message: &str) -> String {
    let message = message.replace('`', "");
    if let Some(field) = message.strip_prefix("missing field ") {
        return format!("Missing required parameter: {field}");
    }
    if message == REQUIRED || message.starts_with("invalid type: null") {
        return format!("Missing required parameter: {path}");
    }
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let (field, known) = rest.split_once(", ").unwrap_or((rest, ""));
        return match known.strip_prefix("expected one of ") {
            Some(list) => format!("Unknown parameter '{field}'; this tool takes: {list}"),
            None => match known.strip_prefix("expected ") {
                // serde lists two names as "a or b".
                Some(few) => format!(
                    "Unknown parameter '{field}'; this tool takes: {}",
                    few.replace(" or ", ", ")
                ),
                None => format!("Unknown parameter '{field}'; this tool takes no parameters"),
            },
        };
    }
    let detail = if let Some(rest) = message.strip_prefix("unknown variant ") {
        // "unknown variant x, expected a or b" / "…, expected one of a, b, c"
        let (value, known) = rest.split_once(", expected ").unwrap_or((rest, ""));
        let known = known
            .strip_prefix("one of ")
            .unwrap_or(known)
            .replace(" or ", ", ");
        format!("'{value}' is not one of: {known}")
    } else if let Some(rest) = message.strip_prefix("invalid type: ") {
        match rest.split_once(", expected ") {
            // What serde says when an enum gets a non-string.
            Some((got, "string or map")) => {
                format!("expected one of the listed strings, got {got}")
            }
            Some((got, want)) => format!("expected {want}, got {got}"),
            None => rest.to_owned(),
        }
    } else {
        message
    };
    format!("Invalid parameter '{path}': {detail}")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    #[allow(dead_code)]
    struct P {
        agent_id: Id,
        records_per_page: Option<Int<1, 100>>,
        input_parameters: Option<JsonText>,
        start_date: Option<IsoDate>,
        order: Option<Order>,
        name: Option<String>,
        prompt: Option<Text<10, 20>>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "lowercase")]
    enum Order {
        Asc,
        Desc,
    }

    fn err(args: Value) -> String {
        parse::<P>(Some(args)).unwrap_err()
    }

    #[test]
    fn ids_are_integers_of_at_least_one() {
        let p: P = parse(Some(json!({"agentId": 42}))).unwrap();
        assert_eq!(p.agent_id, Int(42));
        for ok in [json!(7.0), json!("7")] {
            let p: P = parse(Some(json!({ "agentId": ok }))).unwrap();
            assert_eq!(p.agent_id.get(), 7);
        }
        for (bad, says) in [
            (
                json!("1/../admin"),
                r#"expected an integer, got "1/../admin""#,
            ),
            (json!(-1), "must be >= 1, got -1"),
            (json!(0), "must be >= 1, got 0"),
            (json!(1.5), "expected an integer, got 1.5"),
            (json!("-"), r#"expected an integer, got "-""#),
            (json!(" 1"), r#"expected an integer, got " 1""#),
            (
                json!(9_007_199_254_740_992_u64),
                "must be <= 9007199254740991",
            ),
            (json!(true), "expected an integer, got boolean true"),
        ] {
            let e = err(json!({ "agentId": bad }));
            assert!(
                e.starts_with("Invalid parameter 'agentId': ") && e.contains(says),
                "{bad}: {e}"
            );
        }
    }

    #[test]
    fn missing_null_and_unknown_parameters() {
        assert_eq!(err(json!({})), "Missing required parameter: agentId");
        assert_eq!(
            err(json!({"agentId": null})),
            "Missing required parameter: agentId"
        );
        let e = err(json!({"agentId": 1, "agentID": 2}));
        assert!(
            e.starts_with("Unknown parameter 'agentID'; this tool takes: agentId"),
            "{e}"
        );
        // Optional parameters may be null.
        let p: P = parse(Some(json!({"agentId": 1, "recordsPerPage": null}))).unwrap();
        assert!(p.records_per_page.is_none());
        assert_eq!(
            parse::<P>(Some(json!([1]))).unwrap_err(),
            "arguments must be a JSON object, got an array"
        );
    }

    #[test]
    fn ranges_enums_json_dates_and_lengths() {
        let cases = [
            (
                json!({"recordsPerPage": 101}),
                "Invalid parameter 'recordsPerPage': must be <= 100, got 101",
            ),
            (
                json!({"order": "up"}),
                "Invalid parameter 'order': 'up' is not one of: asc, desc",
            ),
            (
                json!({"inputParameters": "{nope"}),
                "Invalid parameter 'inputParameters': must be a valid JSON string, got \"{nope\"",
            ),
            (
                json!({"startDate": "2026-13-01"}),
                "Invalid parameter 'startDate': expected an ISO 8601 date",
            ),
            (
                json!({"name": 5}),
                "Invalid parameter 'name': expected a string, got integer 5",
            ),
            (
                json!({"prompt": "short"}),
                "Invalid parameter 'prompt': must be at least 10 characters, got 5",
            ),
        ];
        for (mut args, want) in cases {
            args["agentId"] = json!(1);
            let e = err(args.clone());
            assert!(e.starts_with(want), "{args}: {e}");
        }
        let p: P = parse(Some(json!({
            "agentId": 1,
            "inputParameters": {"q": "shoes"},
            "startDate": " 2026-02-28T10:00:00Z ",
        })))
        .unwrap();
        assert_eq!(
            p.input_parameters,
            Some(JsonText(r#"{"q":"shoes"}"#.into()))
        );
        assert_eq!(
            p.start_date.map(|d| d.text).as_deref(),
            Some("2026-02-28T10:00:00Z")
        );
    }
}

//! Argument completion (MCP 2025-11-25, server/utilities/completion): agent
//! and space names for prompt arguments, ids for resource-template
//! variables, fixed choices where a prompt declares them. What an argument
//! offers is declared with the argument (prompts) or follows from the
//! variable's name (templates). At most one upstream request per completion,
//! made with the caller's credential; the answer is filtered here.

use serde_json::{json, Value};

use super::prompts::{self, Suggest};
use super::resources::{parse_id, Template};
use super::tools::ToolError;
use crate::sequentum::{ApiBody, ApiRequest, Client, Transport};

/// The protocol's cap on values per answer.
pub const MAX_VALUES: usize = 100;

/// Completions are asked for while someone types: one attempt, no retries,
/// and no longer than this.
pub const TIMEOUT_MS: u64 = 5_000;

/// What is being completed (the request's `ref`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target<'a> {
    Prompt(&'a str),
    Template(&'a str),
}

/// Where an argument's suggestions come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    AgentNames,
    SpaceNames,
    AgentIds,
    SpaceIds,
    RunIds { agent: u64 },
    Choices(&'static [&'static str]),
    Nothing,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CompleteError {
    #[error("Unknown prompt: {0}")]
    UnknownPrompt(String),
    #[error("Unknown resource template: {0}")]
    UnknownTemplate(String),
    /// The upstream request failed.
    #[error("Could not complete {argument}. {}", .error.text())]
    Failed { argument: String, error: ToolError },
}

/// The source for `argument` of `target`. An argument that does not exist
/// offers nothing (not an error: a client may ask before it knows).
/// `context` holds the values already chosen (`context.arguments`).
pub fn source(
    target: Target<'_>,
    argument: &str,
    context: impl Fn(&str) -> Option<String>,
) -> Result<Source, CompleteError> {
    match target {
        Target::Prompt(name) => {
            let prompt =
                prompts::find(name).ok_or_else(|| CompleteError::UnknownPrompt(name.into()))?;
            Ok(prompt
                .arguments
                .iter()
                .find(|a| a.name == argument)
                .map_or(Source::Nothing, |a| match a.suggest {
                    Suggest::AgentNames => Source::AgentNames,
                    Suggest::SpaceNames => Source::SpaceNames,
                    Suggest::Choices(choices) => Source::Choices(choices),
                    Suggest::Nothing => Source::Nothing,
                }))
        }
        Target::Template(uri) => {
            let template =
                Template::find(uri).ok_or_else(|| CompleteError::UnknownTemplate(uri.into()))?;
            if !template.variables().any(|v| v == argument) {
                return Ok(Source::Nothing);
            }
            Ok(match argument {
                "agentId" => Source::AgentIds,
                "spaceId" => Source::SpaceIds,
                // Runs belong to an agent: without a valid one there is
                // nothing to ask for.
                "runId" => context("agentId")
                    .and_then(|id| parse_id(&id))
                    .map_or(Source::Nothing, |agent| Source::RunIds { agent }),
                _ => Source::Nothing,
            })
        }
    }
}

impl Source {
    /// The one request this source needs for `typed`, if any.
    pub fn request(self, typed: &str) -> Option<ApiRequest> {
        let agents = || ApiRequest::get("/api/v1/agent/all");
        match self {
            // The API narrows by name; the prefix rule is applied here.
            Source::AgentNames => Some(
                agents()
                    .query_opt("name", Some(typed.trim()).filter(|t| !t.is_empty()))
                    .query("sortColumn", "name")
                    .query("sortOrder", 0)
                    .query("pageIndex", 1)
                    .query("recordsPerPage", MAX_VALUES),
            ),
            // Most recently active first: the ids someone is likely after.
            Source::AgentIds => Some(
                agents()
                    .query("sortColumn", "lastActivity")
                    .query("sortOrder", 1)
                    .query("pageIndex", 1)
                    .query("recordsPerPage", MAX_VALUES),
            ),
            Source::SpaceNames | Source::SpaceIds => Some(ApiRequest::get("/api/v1/spaces")),
            Source::RunIds { agent } => Some(
                ApiRequest::get(format!("/api/v1/agent/{agent}/runs"))
                    .query("maxRecords", MAX_VALUES),
            ),
            Source::Choices(_) | Source::Nothing => None,
        }
    }

    /// The completion for `typed`, from the API's answer (`None` when no
    /// request was needed): candidates that match, in the API's order, best
    /// matches first.
    pub fn complete(self, typed: &str, answer: Option<&Value>) -> Value {
        let (items, partial) = listed(answer);
        let field = |key: &str| -> Vec<String> {
            items
                .iter()
                .filter_map(|item| match item.get(key)? {
                    Value::String(s) => Some(s.clone()),
                    Value::Number(n) => Some(n.to_string()),
                    _ => None,
                })
                .collect()
        };
        let candidates = match self {
            Source::AgentNames | Source::SpaceNames => field("name"),
            Source::AgentIds | Source::SpaceIds | Source::RunIds { .. } => field("id"),
            Source::Choices(choices) => choices.iter().map(|c| (*c).to_owned()).collect(),
            Source::Nothing => Vec::new(),
        };
        // A full page of a capped request may not be everything.
        let capped = matches!(
            self,
            Source::AgentNames | Source::AgentIds | Source::RunIds { .. }
        ) && candidates.len() >= MAX_VALUES;
        let mut matched = ranked(&candidates, typed);
        let total = matched.len();
        let has_more = partial || capped || total > MAX_VALUES;
        matched.truncate(MAX_VALUES);
        let mut completion = json!({ "values": matched, "hasMore": has_more });
        if !has_more {
            completion["total"] = json!(total);
        }
        json!({ "completion": completion })
    }
}

/// The items of an answer (a list, or a page of agents), and whether the
/// answer says it left some out.
fn listed(answer: Option<&Value>) -> (&[Value], bool) {
    match answer {
        Some(Value::Array(items)) => (items, false),
        Some(Value::Object(page)) => {
            let items = page
                .get("agents")
                .and_then(Value::as_array)
                .map_or(&[][..], Vec::as_slice);
            let total = page.get("totalRecordCount").and_then(Value::as_u64);
            (items, total.is_some_and(|t| t > items.len() as u64))
        }
        _ => (&[], false),
    }
}

/// The candidates `typed` is a prefix of (ignoring case), without
/// duplicates: whole-value prefixes first, then values with a word that
/// starts with it ("pri" finds "Amazon Price Scraper").
fn ranked(candidates: &[String], typed: &str) -> Vec<String> {
    let typed = typed.trim().to_lowercase();
    let mut first = Vec::new();
    let mut then = Vec::new();
    for c in candidates {
        if first.contains(c) || then.contains(c) {
            continue;
        }
        let lower = c.to_lowercase();
        if lower.starts_with(&typed) {
            first.push(c.clone());
        } else if lower
            .split(|ch: char| !ch.is_alphanumeric())
            .any(|word| !word.is_empty() && word.starts_with(&typed))
        {
            then.push(c.clone());
        }
    }
    first.extend(then);
    first
}

/// Completes `argument` (currently `typed`) of `target`: at most one request.
pub async fn complete<T: Transport>(
    target: Target<'_>,
    argument: &str,
    typed: &str,
    context: impl Fn(&str) -> Option<String>,
    client: &Client<'_, T>,
) -> Result<Value, CompleteError> {
    let source = source(target, argument, context)?;
    let Some(request) = source.request(typed) else {
        return Ok(source.complete(typed, None));
    };
    let failed = |error: ToolError| CompleteError::Failed {
        argument: argument.chars().take(64).collect(),
        error,
    };
    let answer = match client.send(&request).await {
        Ok(ApiBody::Json(value)) => value,
        Ok(ApiBody::Empty) => Value::Null,
        Ok(_) => {
            return Err(failed(ToolError::UnexpectedAnswer(
                "the Sequentum API sent something other than JSON".into(),
            )))
        }
        Err(e) => return Err(failed(ToolError::Api(e))),
    };
    Ok(source.complete(typed, Some(&answer)))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::sequentum::fake::{self, block_on, FakeTransport};
    use crate::sequentum::{Auth, Settings};

    fn names(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn whole_prefixes_first_then_word_prefixes_ignoring_case_without_duplicates() {
        let c = names(&[
            "Amazon Price Scraper",
            "price watch",
            "Competitor Prices",
            "Price Watch",
            "price watch",
            "Spritely",
        ]);
        assert_eq!(
            ranked(&c, "PRI"),
            names(&[
                "price watch",
                "Price Watch",
                "Amazon Price Scraper",
                "Competitor Prices"
            ])
        );
        assert_eq!(ranked(&c, "").len(), 5, "everything, deduplicated");
        assert_eq!(
            ranked(&c, "  price w "),
            names(&["price watch", "Price Watch"])
        );
        assert!(ranked(&c, "zzz").is_empty());
    }

    #[test]
    fn template_variables_map_to_their_sources() {
        let none = |_: &str| None;
        let t = |uri, arg| source(Target::Template(uri), arg, none);
        assert_eq!(
            t("sequentum://agents/{agentId}", "agentId"),
            Ok(Source::AgentIds)
        );
        assert_eq!(
            t("sequentum://spaces/{spaceId}/agents", "spaceId"),
            Ok(Source::SpaceIds)
        );
        // A variable the template does not have offers nothing.
        assert_eq!(
            t("sequentum://spaces/{spaceId}", "agentId"),
            Ok(Source::Nothing)
        );
        // runId needs a valid agentId among the chosen values.
        let runs = "sequentum://agents/{agentId}/runs/{runId}";
        assert_eq!(t(runs, "runId"), Ok(Source::Nothing));
        let with = |v: &'static str| move |name: &str| (name == "agentId").then(|| v.to_owned());
        assert_eq!(
            source(Target::Template(runs), "runId", with("42")),
            Ok(Source::RunIds { agent: 42 })
        );
        for bad in ["0", "x", "4/2", ""] {
            assert_eq!(
                source(Target::Template(runs), "runId", with(bad)),
                Ok(Source::Nothing)
            );
        }
        assert_eq!(
            t("sequentum://agents/42", "agentId"),
            Err(CompleteError::UnknownTemplate(
                "sequentum://agents/42".into()
            ))
        );
    }

    #[test]
    fn prompt_arguments_offer_what_they_declare() {
        let none = |_: &str| None;
        let p = |name, arg| source(Target::Prompt(name), arg, none);
        assert_eq!(p("debug-agent", "agentName"), Ok(Source::AgentNames));
        assert_eq!(p("space-overview", "spaceName"), Ok(Source::SpaceNames));
        assert!(
            matches!(p("inspect-agent-draft", "pollingPreference"), Ok(Source::Choices(c)) if c.contains(&"fast"))
        );
        assert_eq!(p("debug-agent", "nope"), Ok(Source::Nothing));
        assert_eq!(
            p("nope", "agentName"),
            Err(CompleteError::UnknownPrompt("nope".into()))
        );
        // Every argument named like an agent or space name offers names.
        for prompt in prompts::specs() {
            for arg in prompt.arguments {
                let expected = match arg.name {
                    "agentName" => Some(Source::AgentNames),
                    "spaceName" => Some(Source::SpaceNames),
                    _ => None,
                };
                if let Some(expected) = expected {
                    assert_eq!(p(prompt.name, arg.name), Ok(expected), "{}", prompt.name);
                }
            }
        }
    }

    #[test]
    fn requests_carry_the_typed_name_only_where_the_api_can_filter() {
        let line = |s: Source, typed| s.request(typed).map(|r| r.line());
        assert_eq!(
            line(Source::AgentNames, " Price "),
            Some("GET /api/v1/agent/all?name=Price&sortColumn=name&sortOrder=0&pageIndex=1&recordsPerPage=100".into())
        );
        assert_eq!(
            line(Source::AgentNames, ""),
            Some(
                "GET /api/v1/agent/all?sortColumn=name&sortOrder=0&pageIndex=1&recordsPerPage=100"
                    .into()
            )
        );
        assert_eq!(
            line(Source::AgentIds, "4"),
            Some("GET /api/v1/agent/all?sortColumn=lastActivity&sortOrder=1&pageIndex=1&recordsPerPage=100".into())
        );
        assert_eq!(
            line(Source::SpaceIds, "1"),
            Some("GET /api/v1/spaces".into())
        );
        assert_eq!(
            line(Source::RunIds { agent: 7 }, "1"),
            Some("GET /api/v1/agent/7/runs?maxRecords=100".into())
        );
        assert_eq!(line(Source::Choices(&["fast"]), "f"), None);
        assert_eq!(line(Source::Nothing, ""), None);
    }

    #[test]
    fn answers_become_capped_prefix_filtered_values() {
        let page = json!({"agents": [{"id": 101, "name": "Prices"}, {"id": 12, "name": "Jobs"}], "totalRecordCount": 2});
        assert_eq!(
            Source::AgentIds.complete("1", Some(&page)),
            json!({"completion": {"values": ["101", "12"], "total": 2, "hasMore": false}})
        );
        // The API has more agents than it sent: there may be more matches.
        let partial = json!({"agents": [{"id": 101, "name": "Prices"}], "totalRecordCount": 250});
        assert_eq!(
            Source::AgentNames.complete("p", Some(&partial)),
            json!({"completion": {"values": ["Prices"], "hasMore": true}})
        );
        // More than 100 matches: 100 values, and more to come.
        let many: Vec<_> = (1..=150)
            .map(|i| json!({"id": i, "name": format!("s{i}")}))
            .collect();
        let out = Source::SpaceNames.complete("s", Some(&json!(many)));
        assert_eq!(
            out["completion"]["values"].as_array().map(Vec::len),
            Some(100)
        );
        assert_eq!(out["completion"]["hasMore"], true);
        // Odd answers offer nothing rather than failing.
        for odd in [json!(null), json!({"x": 1}), json!([1, "a", {"id": null}])] {
            assert_eq!(
                Source::SpaceIds.complete("", Some(&odd))["completion"]["values"],
                json!([])
            );
        }
        assert_eq!(
            Source::Choices(&["fast", "normal", "slow"]).complete("S", None),
            json!({"completion": {"values": ["slow"], "total": 1, "hasMore": false}})
        );
    }

    #[test]
    fn one_attempt_with_the_callers_credential_and_failures_named() {
        let t = FakeTransport::default();
        let auth = Auth::Bearer("tok".into());
        let client = Client::new(&t, Settings::new("https://api.example.com", 30_000), &auth)
            .single_attempt(TIMEOUT_MS);
        let none = |_: &str| None;
        t.push(Ok(fake::json(200, &json!([{"id": 1, "name": "Retail"}]))));
        let out = block_on(complete(
            Target::Prompt("space-overview"),
            "spaceName",
            "r",
            none,
            &client,
        ));
        assert_eq!(out.unwrap()["completion"]["values"], json!(["Retail"]));
        let calls = t.calls();
        assert_eq!(calls[0].authorization, "Bearer tok");
        assert_eq!(calls[0].timeout_ms, TIMEOUT_MS);
        // A 503 is not retried here, and says what happened.
        t.push(Ok(fake::status(503)));
        let out = block_on(complete(
            Target::Prompt("space-overview"),
            "spaceName",
            "",
            none,
            &client,
        ));
        match out {
            Err(e @ CompleteError::Failed { .. }) => assert!(
                e.to_string()
                    .starts_with("Could not complete spaceName. Upstream error (HTTP 503)"),
                "{e}"
            ),
            other => panic!("{other:?}"),
        }
        assert_eq!(t.calls().len(), 2);
        assert!(t.sleeps().is_empty());
    }
}

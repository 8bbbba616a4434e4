//! The parameters of `/api/search` and `/api/show`, from a query string or a JSON
//! body, and their translation into the options `search query` uses. Unknown
//! parameters are refused, so that a misspelt option never passes unnoticed.

use search_query::{DateRange, Facet, Sort, MAX_LIMIT, MAX_QUERY_BYTES};
use serde::Deserialize;

use super::error::ApiError;
use crate::commands::query::QueryOptions;

/// The parameters of a search: those of `search query`, named as in the API.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchParams {
    /// The query, in the query syntax of `search query`.
    pub q: Option<String>,
    /// Maximum number of hits (1 to `MAX_LIMIT`; default 10).
    pub limit: Option<usize>,
    /// Hits to skip (pagination).
    pub offset: Option<usize>,
    /// Only the best passage of each article.
    pub per_article: Option<bool>,
    /// One hit per copy group, with its `copies` and `sources`.
    pub collapse: Option<bool>,
    /// Try close spellings of rare words (default true).
    pub typos: Option<bool>,
    /// Pseudo-relevance feedback.
    pub feedback: Option<bool>,
    /// Count every matching passage (`total_matches`).
    pub count: Option<bool>,
    /// Score breakdowns (`explanation` on each hit).
    pub explain: Option<bool>,
    /// `relevance`, `newest` or `oldest`.
    pub sort: Option<String>,
    /// Facets to count: `source,author,date` (or, in JSON, a list of names).
    pub facets: Option<FacetList>,
    /// Only articles dated on or after this date.
    pub since: Option<String>,
    /// Only articles dated on or before this date.
    pub until: Option<String>,
}

/// Facet names: one comma-separated string, or (in JSON) a list of names.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum FacetList {
    /// `"source,date"`.
    Text(String),
    /// `["source", "date"]`.
    List(Vec<String>),
}

impl SearchParams {
    /// The query and its options, checked: a missing or blank query and a bad
    /// value are 400, a query or limit over the limits 413.
    pub fn into_request(self) -> Result<(String, QueryOptions), ApiError> {
        let query = self
            .q
            .ok_or_else(|| ApiError::bad_parameter("the parameter `q` (the query) is missing"))?;
        if query.len() > MAX_QUERY_BYTES {
            return Err(ApiError::from_search(
                &search_query::SearchError::QueryTooLong {
                    bytes: query.len(),
                    max: MAX_QUERY_BYTES,
                },
            ));
        }
        if query.trim().is_empty() {
            return Err(ApiError::from_search(
                &search_query::SearchError::EmptyQuery,
            ));
        }
        let defaults = QueryOptions::default();
        let limit = self.limit.unwrap_or(defaults.limit);
        if limit == 0 {
            return Err(ApiError::bad_parameter("`limit` must be 1 or more"));
        }
        if limit > MAX_LIMIT {
            return Err(ApiError::from_search(
                &search_query::SearchError::LimitTooLarge {
                    limit,
                    max: MAX_LIMIT,
                },
            ));
        }
        let sort = self
            .sort
            .map(|s| s.parse::<Sort>())
            .transpose()
            .map_err(|e| ApiError::bad_parameter(format!("`sort`: {e}")))?;
        let facets = match self.facets {
            None => Ok(Vec::new()),
            Some(FacetList::Text(list)) => Facet::parse_list(&list),
            Some(FacetList::List(names)) => Facet::parse_list(&names.join(",")),
        }
        .map_err(|e| ApiError::bad_parameter(format!("`facets`: {e}")))?;
        let options = QueryOptions {
            limit,
            offset: self.offset.unwrap_or(defaults.offset),
            explain: self.explain.unwrap_or(defaults.explain),
            per_article: self.per_article.unwrap_or(defaults.per_article),
            collapse: self.collapse.unwrap_or(defaults.collapse),
            typos: self.typos.unwrap_or(defaults.typos),
            feedback: self.feedback.unwrap_or(defaults.feedback),
            count: self.count.unwrap_or(defaults.count),
            sort,
            dates: dates(self.since.as_deref(), self.until.as_deref())?,
            facets,
        };
        Ok((query, options))
    }
}

/// The range `since` and `until` allow, read as `--since` and `--until` read them.
fn dates(since: Option<&str>, until: Option<&str>) -> Result<DateRange, ApiError> {
    let any = DateRange::default();
    let since = since
        .map(DateRange::since)
        .transpose()
        .map_err(|e| ApiError::bad_parameter(format!("`since`: {e}")))?;
    let until = until
        .map(DateRange::until)
        .transpose()
        .map_err(|e| ApiError::bad_parameter(format!("`until`: {e}")))?;
    Ok(since.unwrap_or(any).intersect(&until.unwrap_or(any)))
}

/// The parameters of `/api/show`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShowParams {
    /// The citation, as `search query` prints it.
    pub citation: Option<String>,
    /// Neighbouring paragraphs on each side (default 1).
    pub context: Option<usize>,
}

/// The most neighbouring paragraphs `/api/show` shows on each side.
pub const MAX_CONTEXT: usize = 1_000;

impl ShowParams {
    /// The citation and the context, checked.
    pub fn into_request(self) -> Result<(String, usize), ApiError> {
        let citation = self
            .citation
            .ok_or_else(|| ApiError::bad_parameter("the parameter `citation` is missing"))?;
        let context = self.context.unwrap_or(1);
        if context > MAX_CONTEXT {
            return Err(ApiError::bad_parameter(format!(
                "`context` may be at most {MAX_CONTEXT}"
            )));
        }
        Ok((citation, context))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_query_gets_the_defaults_of_search_query() {
        let params = SearchParams {
            q: Some("frozen assets".into()),
            ..SearchParams::default()
        };
        let (query, options) = params.into_request().unwrap();
        assert_eq!(query, "frozen assets");
        assert_eq!(options, QueryOptions::default());
    }

    #[test]
    fn facets_come_as_text_or_as_a_list() {
        let text: SearchParams =
            serde_json::from_str(r#"{"q": "x", "facets": "source,date:day"}"#).unwrap();
        let list: SearchParams =
            serde_json::from_str(r#"{"q": "x", "facets": ["source", "date:day"]}"#).unwrap();
        assert_eq!(
            text.into_request().unwrap().1.facets,
            list.into_request().unwrap().1.facets
        );
    }

    #[test]
    fn out_of_range_values_are_refused() {
        for (json, status) in [
            (r#"{"q": "x", "limit": 0}"#, 400),
            (r#"{"q": "x", "limit": 10001}"#, 413),
            (r#"{"q": "  "}"#, 400),
            (r#"{"q": "x", "sort": "sideways"}"#, 400),
            (r#"{"q": "x", "since": "yesterday"}"#, 400),
            (r#"{"q": "x", "facets": "colour"}"#, 400),
            (r#"{"limit": 3}"#, 400),
        ] {
            let params: SearchParams = serde_json::from_str(json).unwrap();
            let err = params.into_request().unwrap_err();
            assert_eq!(err.status.as_u16(), status, "{json}: {err:?}");
        }
    }

    #[test]
    fn unknown_parameters_are_refused() {
        assert!(serde_json::from_str::<SearchParams>(r#"{"q": "x", "limt": 3}"#).is_err());
    }
}

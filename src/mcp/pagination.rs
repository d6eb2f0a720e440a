//! Cursor pagination for the `*/list` methods (MCP 2025-11-25,
//! server/utilities/pagination). Cursors are opaque to clients; ours encode
//! an offset, and a cursor we could not have issued is -32602.

use serde::Deserialize;
use serde_json::{Map, Value};

use super::jsonrpc::{decode_params, ErrorObject};

pub const PAGE_SIZE: usize = 50;

/// Unknown members (`_meta`, extensions) are ignored.
#[derive(Deserialize)]
struct ListParams {
    #[serde(default)]
    cursor: Option<String>,
}

/// One page of `items` and the cursor of the next page, if any.
pub fn page<'a, T>(
    items: &'a [T],
    params: Option<&Map<String, Value>>,
) -> Result<(&'a [T], Option<String>), ErrorObject> {
    let ListParams { cursor } = decode_params("list", params)?;
    let start = match cursor {
        None => 0,
        Some(c) => decode(&c, items.len())
            .ok_or_else(|| ErrorObject::invalid_params("unknown or expired cursor"))?,
    };
    let end = (start + PAGE_SIZE).min(items.len());
    let next = (end < items.len()).then(|| format!("o{end}"));
    Ok((&items[start..end], next))
}

fn decode(cursor: &str, len: usize) -> Option<usize> {
    let n: usize = cursor.strip_prefix('o')?.parse().ok()?;
    // Only offsets we hand out: page boundaries inside the list.
    (n > 0 && n.is_multiple_of(PAGE_SIZE) && n < len && cursor == format!("o{n}")).then_some(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn params(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn small_lists_fit_one_page() {
        let items = [1, 2, 3];
        assert_eq!(page(&items, None).unwrap(), (&items[..], None));
        assert_eq!(
            page(&items, Some(&params(json!({})))).unwrap(),
            (&items[..], None)
        );
        let empty: [u8; 0] = [];
        assert_eq!(page(&empty, None).unwrap(), (&empty[..], None));
    }

    #[test]
    fn long_lists_are_walked_by_cursor() {
        let items: Vec<usize> = (0..120).collect();
        let (first, next) = page(&items, None).unwrap();
        assert_eq!((first.len(), next.as_deref()), (50, Some("o50")));
        let (second, next) = page(&items, Some(&params(json!({"cursor": "o50"})))).unwrap();
        assert_eq!((second[0], next.as_deref()), (50, Some("o100")));
        let (third, next) = page(&items, Some(&params(json!({"cursor": "o100"})))).unwrap();
        assert_eq!((third.len(), next), (20, None));
    }

    #[test]
    fn bad_cursors_are_invalid_params() {
        let items: Vec<usize> = (0..120).collect();
        for bad in [
            json!("o0"),
            json!("o7"),
            json!("o150"),
            json!("o050"),
            json!("x"),
            json!(""),
            json!(5),
            json!({}),
        ] {
            let err = page(&items, Some(&params(json!({ "cursor": bad })))).unwrap_err();
            assert_eq!(err.code, -32602, "{bad}");
        }
        // Unknown members are tolerated.
        assert!(page(&items, Some(&params(json!({"cursor": "o50", "_meta": {}})))).is_ok());
        // Any cursor on a single-page list is one we never issued.
        assert!(page(&[1], Some(&params(json!({"cursor": "o50"})))).is_err());
    }
}

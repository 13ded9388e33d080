//! Cursor pagination: streaming every item of a list operation, fetching one page at a time.

use crate::client::Client;
use crate::error::Error;
use crate::request::{Call, Operation, RequestOptions};

/// Implemented by generated operations that use cursor pagination.
#[doc(hidden)]
pub trait Paginated: Operation + Clone {
    /// One element of a page.
    type Item: Send + 'static;
    /// Makes the next request start after `cursor`.
    fn set_cursor(&mut self, cursor: String);
    /// Splits a decoded response into its items and the cursor of the next page.
    fn into_page(output: Self::Output) -> Page<Self::Item>;
}

/// One page of a list.
#[doc(hidden)]
#[derive(Clone, Debug)]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// Where the next page starts; `None` on the last page.
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    /// A page of a list that reports `has_more` and the id of its last item: there is a next
    /// page only when both say so. Either may be optional in the spec; absent counts as no.
    #[allow(dead_code, reason = "used only by specs with cursor-paginated lists")]
    pub(crate) fn from_cursor(
        items: Vec<T>,
        has_more: impl Into<Option<bool>>,
        last_id: impl Into<Option<String>>,
    ) -> Self {
        let has_more = has_more.into().unwrap_or(false);
        Page {
            items,
            next_cursor: last_id.into().filter(|_| has_more),
        }
    }
}

impl<Op: Paginated> Call<Op> {
    /// Every item of the list, across pages.
    ///
    /// Pages are requested lazily as the stream is polled, so only one page is held in memory;
    /// each request uses this call's options (timeout, retries, headers). The stream ends after
    /// the last page or an empty page, and after yielding an error.
    ///
    /// Each paginated operation's method docs show a compiled example; in short:
    ///
    /// ```text
    /// use futures_util::TryStreamExt;
    /// let all: Vec<_> = client.some_list_operation().stream().try_collect().await?;
    /// ```
    pub fn stream(
        self,
    ) -> impl futures_core::Stream<Item = Result<Op::Item, Error>> + Send + 'static {
        let Call {
            client,
            op,
            options,
        } = self;
        let state = PageState {
            client,
            op,
            options,
            items: Vec::new().into_iter(),
            fetch_more: true,
            cursor: None,
        };
        futures_util::stream::unfold(Some(state), |state| async move {
            let mut state = state?;
            loop {
                if let Some(item) = state.items.next() {
                    return Some((Ok(item), Some(state)));
                }
                if !state.fetch_more {
                    return None;
                }
                let page = match fetch_page::<Op>(&state.client, &state.options, &state.op).await {
                    Ok(page) => page,
                    Err(error) => return Some((Err(error), None)),
                };
                if page.items.is_empty() {
                    return None;
                }
                state.fetch_more = false;
                if let Some(cursor) = page.next_cursor {
                    // A server repeating the same cursor would otherwise have us loop forever.
                    if state.cursor.as_ref() == Some(&cursor) {
                        tracing::warn!(
                            operation_id = Op::OPERATION_ID,
                            "server returned the same cursor twice; ending the list"
                        );
                    } else {
                        state.op.set_cursor(cursor.clone());
                        state.cursor = Some(cursor);
                        state.fetch_more = true;
                    }
                }
                state.items = page.items.into_iter();
            }
        })
    }
}

struct PageState<Op: Paginated> {
    client: Client,
    op: Op,
    options: RequestOptions,
    items: std::vec::IntoIter<Op::Item>,
    fetch_more: bool,
    cursor: Option<String>,
}

/// Not an `async fn`: the operation is used before the first await point and must not be
/// borrowed across it, or the stream would be `Send` only for `Sync` operations.
fn fetch_page<Op: Paginated>(
    client: &Client,
    options: &RequestOptions,
    op: &Op,
) -> impl std::future::Future<Output = Result<Page<Op::Item>, Error>> + Send {
    let parts = op.to_request();
    async move {
        let raw = client.execute(Op::OPERATION_ID, parts?, options).await?;
        Ok(Op::into_page(Op::decode(&raw)?))
    }
}

//! The spec's text and where each node starts in it, so a JSON pointer from any phase
//! can be shown as `file:line:col` with its source line.

use crate::diagnostics::Location;

/// Where a node starts: for a mapping entry its key, for anything else the value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mark {
    /// 1-based line.
    pub line: u32,
    /// 0-based column, in characters.
    pub column: u32,
    /// How many characters to underline (at least one; cut at the end of the line).
    pub width: u32,
}

/// Where every node of the document is, in document order: each node's pointer token
/// (escaped, as in a pointer), its mark, and where its subtree ends. Building it costs
/// one small push per node (no per-node allocation, no hashing), which keeps loading
/// about as fast as before positions were kept; looking a pointer up walks the tree,
/// which only the (few) diagnostics do.
#[derive(Debug, Clone, Default)]
pub struct NodeIndex {
    /// The tokens of all nodes, back to back.
    tokens: String,
    nodes: Vec<Node>,
}

#[derive(Debug, Clone, Copy)]
struct Node {
    token: (u32, u32),
    mark: Mark,
    /// One past the last node of this node's subtree.
    end: u32,
}

impl NodeIndex {
    /// Adds a node under the innermost open one; `close` it after its children.
    pub(crate) fn open(&mut self, token: &str, mark: Mark) -> usize {
        let start = to_u32(self.tokens.len());
        self.tokens.push_str(token);
        let at = self.nodes.len();
        self.nodes.push(Node {
            token: (start, to_u32(self.tokens.len())),
            mark,
            end: to_u32(at + 1),
        });
        at
    }

    pub(crate) fn close(&mut self, node: usize) {
        let end = to_u32(self.nodes.len());
        if let Some(node) = self.nodes.get_mut(node) {
            node.end = end;
        }
    }

    fn token(&self, node: &Node) -> &str {
        self.tokens
            .get(node.token.0 as usize..node.token.1 as usize)
            .unwrap_or_default()
    }

    /// The mark of the node at `pointer`, or of its deepest ancestor in the index.
    fn find(&self, pointer: &str) -> Option<Mark> {
        let mut current = 0usize;
        let mut mark = self.nodes.first()?.mark;
        for token in pointer.split('/').skip(1) {
            let end = self.nodes[current].end as usize;
            let mut child = current + 1;
            let mut found = None;
            while child < end.min(self.nodes.len()) {
                let node = &self.nodes[child];
                if self.token(node) == token {
                    found = Some(child);
                    break;
                }
                child = (node.end as usize).max(child + 1);
            }
            match found {
                Some(child) => {
                    current = child;
                    mark = self.nodes[child].mark;
                }
                None => break,
            }
        }
        Some(mark)
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The text of a spec and the position of every node the text spells out.
///
/// Nodes copied by a YAML alias are not indexed one by one; a pointer into such a copy
/// resolves to the alias, the nearest indexed node above it.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    text: String,
    /// Byte offset of the start of each line.
    line_starts: Vec<usize>,
    nodes: NodeIndex,
}

impl SourceMap {
    pub(crate) fn new(text: String, nodes: NodeIndex) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(at, _)| at + 1))
            .collect();
        Self {
            text,
            line_starts,
            nodes,
        }
    }

    /// The place of the node at `pointer`, or of its nearest ancestor that the text
    /// spells out (a node a later phase made up, such as normalize's `allOf/0`, has none
    /// of its own). A document with no nodes at all (only comments) is placed at its
    /// start.
    pub fn locate(&self, pointer: &str) -> Option<Location> {
        let start = Mark {
            line: 1,
            column: 0,
            width: 1,
        };
        Some(self.location(self.nodes.find(pointer).unwrap_or(start)))
    }

    /// The location of a mark.
    pub fn location(&self, mark: Mark) -> Location {
        let line = (mark.line as usize).max(1);
        let source_line = self.line_text(line);
        let start = byte_of_char(source_line, mark.column as usize);
        let end = byte_of_char(
            source_line,
            mark.column as usize + mark.width.max(1) as usize,
        )
        .max(start);
        // An empty span (at the end of a line) still needs a caret.
        let end = if end > start {
            end
        } else {
            start
                + source_line[start..]
                    .chars()
                    .next()
                    .map_or(0, char::len_utf8)
        };
        Location::new(line, mark.column as usize + 1, source_line, start..end)
    }

    /// Line `line` (1-based) without its line break; empty past the end.
    pub fn line_text(&self, line: usize) -> &str {
        let Some(&start) = self.line_starts.get(line - 1) else {
            return "";
        };
        let end = self
            .line_starts
            .get(line)
            .map_or(self.text.len(), |next| next - 1);
        self.text[start..end].trim_end_matches('\r')
    }
}

/// The byte offset of character `column` in `line` (the line's end when it is shorter).
fn byte_of_char(line: &str, column: usize) -> usize {
    line.char_indices()
        .nth(column)
        .map_or(line.len(), |(at, _)| at)
}

/// Line and column (both 1-based; the column in bytes) of `offset` in raw bytes that
/// may not be text, and that line as lossy text.
pub fn location_of_offset(bytes: &[u8], offset: usize) -> Location {
    let offset = offset.min(bytes.len());
    let line_start = bytes[..offset]
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |newline| newline + 1);
    let line_end = bytes[offset..]
        .iter()
        .position(|b| *b == b'\n')
        .map_or(bytes.len(), |at| offset + at);
    let line = bytes[..line_start].iter().filter(|b| **b == b'\n').count() + 1;
    // Only a window of the line is shown; converting all of a huge binary "line"
    // would copy it for nothing.
    let window_start = line_start.max(offset.saturating_sub(4 * WINDOW));
    let window_end = line_end.min(offset + 4 * WINDOW);
    let prefix = String::from_utf8_lossy(&bytes[window_start..offset]).into_owned();
    let text = String::from_utf8_lossy(&bytes[window_start..window_end]);
    let text = text.trim_end_matches('\r');
    let start = prefix.len().min(text.len());
    let end = text[start..]
        .chars()
        .next()
        .map_or(start, |c| start + c.len_utf8());
    Location::new(line, offset - line_start + 1, text, start..end)
}

/// Bytes of context kept around a raw offset (before the line is cut further).
const WINDOW: usize = 80;

#[cfg(test)]
mod tests {
    use super::*;

    fn map() -> SourceMap {
        let mark = |line, column, width| Mark {
            line,
            column,
            width,
        };
        let mut nodes = NodeIndex::default();
        let root = nodes.open("", mark(1, 0, 1));
        let version = nodes.open("openapi", mark(1, 0, 7));
        nodes.close(version);
        let info = nodes.open("info", mark(2, 0, 4));
        let title = nodes.open("title", mark(3, 2, 5));
        nodes.close(title);
        nodes.close(info);
        let paths = nodes.open("a~1b", mark(4, 0, 4));
        nodes.close(paths);
        nodes.close(root);
        SourceMap::new(
            "openapi: 3.0.0\r\ninfo:\n  title: é\n/a/b: {}\n".to_string(),
            nodes,
        )
    }

    #[test]
    fn pointers_resolve_to_their_node_or_nearest_ancestor() {
        let map = map();
        let title = map.locate("/info/title").expect("indexed");
        assert_eq!((title.line, title.column), (3, 3));
        assert_eq!(&title.source_line[title.span.clone()], "title");
        let made_up = map.locate("/info/title/allOf/0").expect("ancestor");
        assert_eq!(made_up.line, 3);
        assert_eq!(map.locate("/a~1b").map(|l| l.line), Some(4));
        // Not a sibling's child: `title` is under `info` only.
        assert_eq!(map.locate("/title").map(|l| l.line), Some(1));
        let nothing = SourceMap::new("# only a comment\n".to_string(), NodeIndex::default());
        assert_eq!(
            nothing.locate("/a").map(|l| (l.line, l.column)),
            Some((1, 1))
        );
        assert_eq!(map.line_text(1), "openapi: 3.0.0");
    }

    #[test]
    fn offsets_in_raw_bytes_become_lines() {
        let location = location_of_offset(b"openapi: 3.0.0\n\xff\xfe", 15);
        assert_eq!((location.line, location.column), (2, 1));
    }
}

//! Lines of a JSONL source, as the indexer numbers them and the query side finds
//! them again: a line ends at LF, CRLF or a lone CR (old Mac files), like the lines
//! of a text article.

use std::io::{BufRead, Result};

/// `line` without its line end.
pub fn trim_line_end(line: &[u8]) -> &[u8] {
    let end = line
        .iter()
        .rposition(|&b| b != b'\n' && b != b'\r')
        .map_or(0, |i| i + 1);
    &line[..end]
}

/// Reads the next line of `reader` into `line` (cleared first), with its end, as
/// `BufRead::read_until` does for LF alone. Returns the line's length: 0 at the end
/// of input.
pub fn read_line(reader: &mut impl BufRead, line: &mut Vec<u8>) -> Result<usize> {
    line.clear();
    let mut consumed = 0;
    loop {
        let available = reader.fill_buf()?;
        if available.is_empty() {
            return Ok(consumed);
        }
        match available.iter().position(|&b| b == b'\n' || b == b'\r') {
            Some(end) => {
                let cr = available[end] == b'\r';
                line.extend_from_slice(&available[..=end]);
                reader.consume(end + 1);
                consumed += end + 1;
                if cr {
                    // CRLF is one line end; the LF may start the next buffer.
                    if reader.fill_buf()?.first() == Some(&b'\n') {
                        line.push(b'\n');
                        reader.consume(1);
                        consumed += 1;
                    }
                }
                return Ok(consumed);
            }
            None => {
                let len = available.len();
                line.extend_from_slice(available);
                reader.consume(len);
                consumed += len;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(bytes: &[u8], capacity: usize) -> Vec<(String, usize)> {
        let mut reader = std::io::BufReader::with_capacity(capacity, bytes);
        let mut line = Vec::new();
        let mut out = Vec::new();
        loop {
            let consumed = read_line(&mut reader, &mut line).unwrap();
            if consumed == 0 {
                return out;
            }
            assert_eq!(consumed, line.len());
            let text = String::from_utf8(trim_line_end(&line).to_vec()).unwrap();
            out.push((text, consumed));
        }
    }

    #[test]
    fn lf_crlf_and_lone_cr_each_end_one_line() {
        for capacity in [1, 2, 3, 64] {
            assert_eq!(
                lines(b"a\nb\r\nc\rd\n\re", capacity),
                [
                    ("a".into(), 2),
                    ("b".into(), 3),
                    ("c".into(), 2),
                    ("d".into(), 2),
                    ("".into(), 1),
                    ("e".into(), 1)
                ],
                "capacity {capacity}"
            );
        }
    }

    #[test]
    fn the_consumed_bytes_add_up_to_the_input() {
        let input = b"{\"id\":1}\r{\"id\":2}\r\n\r\n{\"id\":3}";
        let total: usize = lines(input, 4).iter().map(|(_, n)| n).sum();
        assert_eq!(total, input.len());
    }
}

//! A byte buffer for rendering large outputs, written to with many short pieces.
//!
//! Rendering `summary.json` and the CSV files appends tens of millions of pieces of a few bytes
//! (a quote, `": "`, a key, a number's digits). Appending to a `Vec<u8>` copies each with a call
//! to `memcpy`, whose call costs more than the copy: `memmove` was 5 % of the CPU samples of a
//! 20,000-event study, most of it under the exporters. [`Text`] copies a piece of up to 32 bytes
//! as two fixed-size, overlapping moves that the compiler inlines. The bytes are the same.

/// A growable byte buffer that copies short pieces inline. Its storage is kept initialised
/// (zeros beyond the bytes written), so no copy needs `unsafe`.
#[derive(Debug, Default)]
pub struct Text {
    bytes: Vec<u8>,
    len: usize,
}

impl Text {
    /// An empty buffer with room for `capacity` bytes.
    pub fn with_capacity(capacity: usize) -> Text {
        Text { bytes: vec![0; capacity], len: 0 }
    }

    /// The bytes written so far.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }

    /// How many bytes were written.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether nothing was written.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Forgets the bytes written, keeping the storage.
    pub fn clear(&mut self) {
        self.len = 0;
    }

    /// Appends `s`.
    #[inline]
    pub fn put(&mut self, s: &[u8]) {
        let (at, n) = (self.len, s.len());
        if at + n > self.bytes.len() {
            self.grow(at + n);
        }
        let d = &mut self.bytes[at..at + n];
        match n {
            0 => {}
            1 => d[0] = s[0],
            2..=3 => overlapping::<2>(d, s),
            4..=7 => overlapping::<4>(d, s),
            8..=16 => overlapping::<8>(d, s),
            17..=32 => overlapping::<16>(d, s),
            _ => d.copy_from_slice(s),
        }
        self.len = at + n;
    }

    #[cold]
    fn grow(&mut self, need: usize) {
        let size = need.max(2 * self.bytes.len()).max(256);
        self.bytes.resize(size, 0);
    }
}

/// Copies `s` (of `W` to `2·W` bytes) into `d` of the same length as two moves of `W` bytes,
/// from its start and to its end, overlapping in the middle: fixed-width moves the compiler
/// inlines, where a copy of a length known only at run time calls `memcpy`.
#[inline]
fn overlapping<const W: usize>(d: &mut [u8], s: &[u8]) {
    let n = s.len();
    d[..W].copy_from_slice(&s[..W]);
    d[n - W..].copy_from_slice(&s[n - W..]);
}

impl std::io::Write for Text {
    #[inline]
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.put(buf);
        Ok(buf.len())
    }
    #[inline]
    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.put(buf);
        Ok(())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl std::fmt::Write for Text {
    #[inline]
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.put(s.as_bytes());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every length from 0 to 100, appended after every offset from 0 to 40, gives the bytes of
    /// a `Vec<u8>` appended the same way, across growth of the storage.
    #[test]
    fn pieces_of_every_length_append_as_a_vec_does() {
        let source: Vec<u8> = (0..200u32).map(|i| (i * 37 % 251) as u8).collect();
        for offset in 0..40 {
            let mut text = Text::default();
            let mut want = Vec::new();
            text.put(&source[..offset]);
            want.extend_from_slice(&source[..offset]);
            for n in 0..=100 {
                let piece = &source[n..2 * n];
                text.put(piece);
                want.extend_from_slice(piece);
                assert_eq!(text.as_bytes(), want.as_slice(), "offset {offset}, piece of {n}");
            }
            assert_eq!(text.as_bytes(), want.as_slice());
        }
    }
}

//! Reading at most a cap, whatever size the file claims: a zip bomb lies
//! about its size, and a file can grow between listing and reading.

use std::io::{self, Read};

pub enum Capped {
    Fits(Vec<u8>),
    /// More than the cap; what was read is dropped.
    Over,
}

/// Reads `reader` to the end through `take(cap + 1)`. `hint` (the declared
/// size) only sizes the first allocation, never above the cap.
pub fn read_capped(reader: impl Read, cap: u64, hint: u64) -> io::Result<Capped> {
    let initial = usize::try_from(hint.min(cap)).unwrap_or(0);
    let mut bytes = Vec::with_capacity(initial);
    reader.take(cap.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > cap { Ok(Capped::Over) } else { Ok(Capped::Fits(bytes)) }
}

#[cfg(test)]
mod tests {
    use super::{Capped, read_capped};

    #[test]
    fn stops_one_byte_past_the_cap() {
        let endless = std::io::repeat(0);
        assert!(matches!(read_capped(endless, 10, 3), Ok(Capped::Over)));
        assert!(matches!(read_capped(&b"0123456789"[..], 10, 0), Ok(Capped::Fits(b)) if b.len() == 10));
    }
}

//! DynamoDB numbers: decimals of up to 38 significant digits, magnitudes from 1E-130 to just under
//! 1E+126, stored exactly (never as floating point) and returned in canonical form ("1.50" and
//! "15E-1" both come back as "1.5", "-0" as "0").

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::cmp::Ordering;
use std::fmt;

/// Most significant digits a number may have.
pub const MAX_DIGITS: usize = 38;
/// Smallest and largest decimal exponent of a non-zero number's leading digit.
const MIN_ADJUSTED: i64 = -130;
const MAX_ADJUSTED: i64 = 125;

/// An exact decimal: `(-1)^negative × coefficient × 10^exponent`.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Number {
    negative: bool,
    /// Decimal digits, most significant first, without leading or trailing zeros; empty for zero.
    digits: Vec<u8>,
    /// Power of ten of the last digit.
    exponent: i64,
}

/// Why a string is not a DynamoDB number; `Display` gives DynamoDB's message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NumberError {
    NotANumber(String),
    Overflow,
    Underflow,
    TooPrecise,
}

impl fmt::Display for NumberError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NumberError::NotANumber(text) if text.is_empty() => {
                f.write_str("The parameter cannot be converted to a numeric value")
            }
            NumberError::NotANumber(text) => write!(f, "The parameter cannot be converted to a numeric value: {text}"),
            NumberError::Overflow => {
                f.write_str("Number overflow. Attempting to store a number with magnitude larger than supported range")
            }
            NumberError::Underflow => f.write_str(
                "Number underflow. Attempting to store a number with magnitude smaller than supported range",
            ),
            NumberError::TooPrecise => f.write_str("Attempting to store more than 38 significant digits in a Number"),
        }
    }
}

impl Number {
    pub fn zero() -> Number {
        Number { negative: false, digits: Vec::new(), exponent: 0 }
    }

    pub fn is_zero(&self) -> bool {
        self.digits.is_empty()
    }

    /// Parses a number as DynamoDB accepts it: an optional sign, digits with an optional decimal
    /// point, and an optional exponent (`-12.5e3`).
    pub fn parse(text: &str) -> Result<Number, NumberError> {
        let bad = || NumberError::NotANumber(text.to_string());
        let bytes = text.as_bytes();
        let mut i = 0;
        let negative = match bytes.first() {
            Some(b'-') => {
                i = 1;
                true
            }
            Some(b'+') => {
                i = 1;
                false
            }
            _ => false,
        };
        let mut digits = Vec::new();
        let mut exponent: i64 = 0;
        let mut seen_digit = false;
        let mut seen_point = false;
        while i < bytes.len() {
            match bytes[i] {
                b @ b'0'..=b'9' => {
                    seen_digit = true;
                    digits.push(b - b'0');
                    if seen_point {
                        exponent -= 1;
                    }
                }
                b'.' if !seen_point => seen_point = true,
                b'e' | b'E' => break,
                _ => return Err(bad()),
            }
            i += 1;
        }
        if !seen_digit {
            return Err(bad());
        }
        if i < bytes.len() {
            // The exponent: at least one digit after an optional sign.
            let rest = &text[i + 1..];
            let (sign, body) = match rest.as_bytes().first() {
                Some(b'-') => (-1, &rest[1..]),
                Some(b'+') => (1, &rest[1..]),
                _ => (1, rest),
            };
            if body.is_empty() || !body.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            // Exponents this long are far outside the range anyway; cap to avoid overflow.
            let value: i64 = body.parse().unwrap_or(i64::MAX / 4).min(i64::MAX / 4);
            exponent += sign * value;
        }
        Number::normalized(negative, digits, exponent)
    }

    /// Strips leading and trailing zeros and checks range and precision.
    fn normalized(negative: bool, mut digits: Vec<u8>, mut exponent: i64) -> Result<Number, NumberError> {
        let leading = digits.iter().take_while(|&&d| d == 0).count();
        digits.drain(..leading);
        while digits.last() == Some(&0) {
            digits.pop();
            exponent += 1;
        }
        if digits.is_empty() {
            return Ok(Number::zero());
        }
        if digits.len() > MAX_DIGITS {
            return Err(NumberError::TooPrecise);
        }
        let adjusted = exponent + digits.len() as i64 - 1;
        if adjusted > MAX_ADJUSTED {
            return Err(NumberError::Overflow);
        }
        if adjusted < MIN_ADJUSTED {
            return Err(NumberError::Underflow);
        }
        Ok(Number { negative, digits, exponent })
    }

    /// The exponent of the leading digit (`123` -> 2, `0.05` -> -2).
    fn adjusted(&self) -> i64 {
        self.exponent + self.digits.len() as i64 - 1
    }

    pub fn negate(&self) -> Number {
        Number { negative: !self.negative && !self.is_zero(), ..self.clone() }
    }

    /// `self + other`, within DynamoDB's limits.
    pub fn add(&self, other: &Number) -> Result<Number, NumberError> {
        if self.is_zero() {
            return Ok(other.clone());
        }
        if other.is_zero() {
            return Ok(self.clone());
        }
        // Align both to the smaller exponent; both are within range, so the span is bounded.
        let exponent = self.exponent.min(other.exponent);
        let a = self.scaled_to(exponent);
        let b = other.scaled_to(exponent);
        let (negative, digits) = if self.negative == other.negative {
            (self.negative, add_magnitudes(&a, &b))
        } else {
            match cmp_magnitudes(&a, &b) {
                Ordering::Equal => return Ok(Number::zero()),
                Ordering::Greater => (self.negative, sub_magnitudes(&a, &b)),
                Ordering::Less => (other.negative, sub_magnitudes(&b, &a)),
            }
        };
        Number::normalized(negative, digits, exponent)
    }

    pub fn sub(&self, other: &Number) -> Result<Number, NumberError> {
        self.add(&other.negate())
    }

    /// The digits with zeros appended so that the last digit's power is `exponent`.
    fn scaled_to(&self, exponent: i64) -> Vec<u8> {
        let mut digits = self.digits.clone();
        digits.extend(std::iter::repeat_n(0, (self.exponent - exponent) as usize));
        digits
    }

    /// How many bytes DynamoDB counts for this number in an item's size: about one byte per two
    /// significant digits, plus one.
    pub fn size(&self) -> usize {
        self.digits.len().div_ceil(2) + 1
    }
}

fn cmp_magnitudes(a: &[u8], b: &[u8]) -> Ordering {
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

fn add_magnitudes(a: &[u8], b: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(a.len().max(b.len()) + 1);
    let (mut i, mut j, mut carry) = (a.len(), b.len(), 0);
    while i > 0 || j > 0 || carry > 0 {
        let x = if i > 0 { a[i - 1] } else { 0 };
        let y = if j > 0 { b[j - 1] } else { 0 };
        let sum = x + y + carry;
        out.push(sum % 10);
        carry = sum / 10;
        i = i.saturating_sub(1);
        j = j.saturating_sub(1);
    }
    out.reverse();
    out
}

/// `a - b` for magnitudes with `a >= b`.
fn sub_magnitudes(a: &[u8], b: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(a.len());
    let (mut j, mut borrow) = (b.len(), 0i8);
    for i in (0..a.len()).rev() {
        let y = if j > 0 { b[j - 1] as i8 } else { 0 };
        j = j.saturating_sub(1);
        let mut diff = a[i] as i8 - y - borrow;
        borrow = 0;
        if diff < 0 {
            diff += 10;
            borrow = 1;
        }
        out.push(diff as u8);
    }
    out.reverse();
    out
}

impl Ord for Number {
    fn cmp(&self, other: &Number) -> Ordering {
        match (self.is_zero(), other.is_zero()) {
            (true, true) => return Ordering::Equal,
            (true, false) => return if other.negative { Ordering::Greater } else { Ordering::Less },
            (false, true) => return if self.negative { Ordering::Less } else { Ordering::Greater },
            _ => {}
        }
        if self.negative != other.negative {
            return if self.negative { Ordering::Less } else { Ordering::Greater };
        }
        let magnitude = self.adjusted().cmp(&other.adjusted()).then_with(|| self.digits.cmp(&other.digits));
        if self.negative {
            magnitude.reverse()
        } else {
            magnitude
        }
    }
}

impl PartialOrd for Number {
    fn partial_cmp(&self, other: &Number) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Number {
    /// Plain decimal notation, never an exponent, as DynamoDB returns numbers.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_zero() {
            return f.write_str("0");
        }
        let mut out = String::with_capacity(self.digits.len() + 4);
        if self.negative {
            out.push('-');
        }
        let digits: String = self.digits.iter().map(|d| (b'0' + d) as char).collect();
        if self.exponent >= 0 {
            out.push_str(&digits);
            out.extend(std::iter::repeat_n('0', self.exponent as usize));
        } else {
            let point = self.digits.len() as i64 + self.exponent;
            if point > 0 {
                out.push_str(&digits[..point as usize]);
                out.push('.');
                out.push_str(&digits[point as usize..]);
            } else {
                out.push_str("0.");
                out.extend(std::iter::repeat_n('0', (-point) as usize));
                out.push_str(&digits);
            }
        }
        f.write_str(&out)
    }
}

impl fmt::Debug for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Number({self})")
    }
}

impl Serialize for Number {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Number::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn check(input: &str, expect: &str) {
        let got = match Number::parse(input) {
            Ok(n) => n.to_string(),
            Err(err) => format!("error: {err}"),
        };
        assert_eq!(got, expect, "{input}");
    }

    #[test]
    fn canonical_forms() {
        check("0", "0");
        check("-0", "0");
        check("+7", "7");
        check("007", "7");
        check("1.50", "1.5");
        check("15E-1", "1.5");
        check(".5", "0.5");
        check("5.", "5");
        check("1e2", "100");
        check("-1.23e-5", "-0.0000123");
        check("123.456", "123.456");
        check("1E+125", &format!("1{}", "0".repeat(125)));
        check("1E-130", &format!("0.{}1", "0".repeat(129)));
        check("0.000", "0");
        check("0e999999999999999999999", "0");
    }

    #[test]
    fn errors() {
        check("", "error: The parameter cannot be converted to a numeric value");
        check("abc", "error: The parameter cannot be converted to a numeric value: abc");
        check("1.2.3", "error: The parameter cannot be converted to a numeric value: 1.2.3");
        check("1e", "error: The parameter cannot be converted to a numeric value: 1e");
        check(" 1", "error: The parameter cannot be converted to a numeric value:  1");
        check("NaN", "error: The parameter cannot be converted to a numeric value: NaN");
        check(
            "1E126",
            "error: Number overflow. Attempting to store a number with magnitude larger than supported range",
        );
        check(
            "1E-131",
            "error: Number underflow. Attempting to store a number with magnitude smaller than supported range",
        );
        check(&"1".repeat(39), "error: Attempting to store more than 38 significant digits in a Number");
        check(&format!("{}000", "1".repeat(38)), &format!("{}000", "1".repeat(38)));
        check(
            "1e99999999999999999999999",
            "error: Number overflow. Attempting to store a number with magnitude larger than supported range",
        );
    }

    #[test]
    fn arithmetic() {
        let n = |s: &str| Number::parse(s).unwrap();
        assert_eq!(n("1.5").add(&n("2.25")).unwrap().to_string(), "3.75");
        assert_eq!(n("1").sub(&n("1.000")).unwrap().to_string(), "0");
        assert_eq!(n("-5").add(&n("3")).unwrap().to_string(), "-2");
        assert_eq!(n("100").sub(&n("0.01")).unwrap().to_string(), "99.99");
        assert_eq!(
            n("9.9999999999999999999999999999999999999E+125").add(&n("1E+88")).unwrap_err(),
            NumberError::Overflow
        );
        assert_eq!(n("1E+37").add(&n("1E-2")).unwrap_err(), NumberError::TooPrecise);
    }

    #[test]
    fn ordering() {
        let n = |s: &str| Number::parse(s).unwrap();
        let mut v = [n("10"), n("-1"), n("0"), n("9.5"), n("-10"), n("0.001"), n("1E+100")];
        v.sort();
        let s: Vec<String> = v.iter().map(|x| x.to_string()).collect();
        assert_eq!(s[..6], ["-10", "-1", "0", "0.001", "9.5", "10"]);
    }

    proptest! {
        /// Canonical text parses back to the same number, and ordering agrees with i64.
        #[test]
        fn round_trips_and_orders_like_integers(a in -1_000_000_000_000i64..1_000_000_000_000, b in -1_000_000i64..1_000_000, scale in 0u32..6) {
            let na = Number::parse(&format!("{a}E-{scale}")).unwrap();
            let nb = Number::parse(&format!("{b}E-{scale}")).unwrap();
            prop_assert_eq!(Number::parse(&na.to_string()).unwrap(), na.clone());
            prop_assert_eq!(na.cmp(&nb), a.cmp(&b));
            let sum = na.add(&nb).unwrap();
            prop_assert_eq!(sum, Number::parse(&format!("{}E-{scale}", a + b)).unwrap());
        }

        #[test]
        fn never_panics(text in "\\PC{0,60}") {
            let _ = Number::parse(&text);
        }
    }
}

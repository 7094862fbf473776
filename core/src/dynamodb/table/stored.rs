//! How a table keeps an item: all of its attributes encoded in one byte buffer.
//!
//! An [`Item`] is a map with an owned name per attribute and a node sized for eleven entries, so
//! a five-attribute item took about a kilobyte. A [`StoredItem`] takes one allocation of roughly
//! the item's own size, and answers what the hot paths ask without rebuilding the item: its size,
//! its DynamoDB JSON, one key attribute. Everything else decodes it into an `Item`.
//!
//! The encoding is a function of the item alone (attributes in name order, numbers in canonical
//! form), so equal items have equal bytes and the table can compare stored items directly.
//!
//! Layout: the item's size as DynamoDB counts it, then each attribute as its name and its value.
//! A value is a tag byte and its payload: a length and bytes for S, N (canonical text) and B,
//! nothing for BOOL and NULL, a count and members for M, L and the sets. Lengths and counts are
//! LEB128 varints.

use crate::dynamodb::model::{encode_base64, item_size, AttributeValue, Item, ScalarType};
use crate::dynamodb::number::Number;
use crate::dynamodb::table::KeyValue;
use serde_json::{Map, Value};
use std::fmt;

const S: u8 = 0;
const N: u8 = 1;
const B: u8 = 2;
const FALSE: u8 = 3;
const TRUE: u8 = 4;
const NULL: u8 = 5;
const M: u8 = 6;
const L: u8 = 7;
const SS: u8 = 8;
const NS: u8 = 9;
const BS: u8 = 10;

/// An item as a table stores it (see the module documentation for the layout).
#[derive(Clone, PartialEq, Eq)]
pub struct StoredItem(Box<[u8]>);

impl StoredItem {
    pub fn encode(item: &Item) -> StoredItem {
        let size = item_size(item);
        let mut out = Vec::with_capacity(size + 4 * item.len() + 4);
        varint(&mut out, size);
        attributes(&mut out, item);
        StoredItem(out.into_boxed_slice())
    }

    /// The item, rebuilt.
    pub fn decode(&self) -> Item {
        self.reader().attributes(None, Reader::value).into_iter().collect()
    }

    /// The item's size as DynamoDB counts it (`model::item_size`), kept when it was encoded.
    pub fn size(&self) -> usize {
        Reader { bytes: &self.0, at: 0 }.varint()
    }

    /// The item's DynamoDB JSON, written straight from the stored bytes; the same as
    /// `model::item_to_wire(&self.decode())`.
    pub fn to_wire(&self) -> Value {
        Value::Object(self.reader().attributes(None, Reader::wire).into_iter().collect())
    }

    /// The value of the top-level attribute `name`, if the item has it.
    pub fn get(&self, name: &str) -> Option<AttributeValue> {
        let mut reader = self.reader();
        while !reader.done() {
            if reader.str() == name {
                return Some(reader.value());
            }
            reader.skip_value();
        }
        None
    }

    /// The attribute `name` as a key value, if the item has it with type `kind`.
    pub fn key_value(&self, name: &str, kind: ScalarType) -> Option<KeyValue> {
        let mut reader = self.reader();
        while !reader.done() {
            if reader.str() != name {
                reader.skip_value();
                continue;
            }
            return match (reader.byte(), kind) {
                (S, ScalarType::S) => Some(KeyValue::S(reader.str().to_string())),
                (N, ScalarType::N) => Some(KeyValue::N(reader.number())),
                (B, ScalarType::B) => Some(KeyValue::B(reader.bytes().to_vec())),
                _ => None,
            };
        }
        None
    }

    /// A reader positioned at the first attribute.
    fn reader(&self) -> Reader<'_> {
        let mut reader = Reader { bytes: &self.0, at: 0 };
        reader.varint();
        reader
    }
}

impl fmt::Debug for StoredItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.decode().fmt(f)
    }
}

fn varint(out: &mut Vec<u8>, mut n: usize) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

fn text(out: &mut Vec<u8>, bytes: &[u8]) {
    varint(out, bytes.len());
    out.extend_from_slice(bytes);
}

fn attributes(out: &mut Vec<u8>, item: &Item) {
    for (name, value) in item {
        text(out, name.as_bytes());
        encode_value(out, value);
    }
}

fn encode_value(out: &mut Vec<u8>, value: &AttributeValue) {
    match value {
        AttributeValue::S(s) => {
            out.push(S);
            text(out, s.as_bytes());
        }
        AttributeValue::N(n) => {
            out.push(N);
            text(out, n.to_string().as_bytes());
        }
        AttributeValue::B(b) => {
            out.push(B);
            text(out, b);
        }
        AttributeValue::Bool(b) => out.push(if *b { TRUE } else { FALSE }),
        AttributeValue::Null => out.push(NULL),
        AttributeValue::M(m) => {
            out.push(M);
            varint(out, m.len());
            attributes(out, m);
        }
        AttributeValue::L(l) => {
            out.push(L);
            varint(out, l.len());
            l.iter().for_each(|v| encode_value(out, v));
        }
        AttributeValue::Ss(set) => {
            out.push(SS);
            varint(out, set.len());
            set.iter().for_each(|s| text(out, s.as_bytes()));
        }
        AttributeValue::Ns(set) => {
            out.push(NS);
            varint(out, set.len());
            set.iter().for_each(|n| text(out, n.to_string().as_bytes()));
        }
        AttributeValue::Bs(set) => {
            out.push(BS);
            varint(out, set.len());
            set.iter().for_each(|b| text(out, b));
        }
    }
}

/// Reads what [`StoredItem::encode`] wrote; the bytes are always well formed, so running out
/// of them or meeting an unknown tag is a bug, not bad input.
struct Reader<'a> {
    /// The encoded item.
    bytes: &'a [u8],
    /// The position of the next byte to read.
    at: usize,
}

impl<'a> Reader<'a> {
    fn done(&self) -> bool {
        self.at == self.bytes.len()
    }

    fn byte(&mut self) -> u8 {
        self.at += 1;
        self.bytes[self.at - 1]
    }

    fn varint(&mut self) -> usize {
        let (mut n, mut shift) = (0usize, 0);
        loop {
            let b = self.byte();
            n |= usize::from(b & 0x7f) << shift;
            if b < 0x80 {
                return n;
            }
            shift += 7;
        }
    }

    fn bytes(&mut self) -> &'a [u8] {
        let len = self.varint();
        self.at += len;
        &self.bytes[self.at - len..self.at]
    }

    fn str(&mut self) -> &'a str {
        std::str::from_utf8(self.bytes()).expect("stored from a string")
    }

    fn number(&mut self) -> Number {
        Number::parse(self.str()).expect("stored in canonical form")
    }

    /// `count` attributes (every one left, when `None`): each name, with what `read` makes of
    /// its value. They come in name order, as they were written.
    fn attributes<T>(&mut self, count: Option<usize>, read: fn(&mut Reader<'a>) -> T) -> Vec<(String, T)> {
        let mut out = Vec::with_capacity(count.unwrap_or(8));
        while count.map_or(!self.done(), |count| out.len() < count) {
            let name = self.str().to_string();
            out.push((name, read(self)));
        }
        out
    }

    fn value(&mut self) -> AttributeValue {
        match self.byte() {
            S => AttributeValue::S(self.str().to_string()),
            N => AttributeValue::N(self.number()),
            B => AttributeValue::B(self.bytes().to_vec()),
            FALSE => AttributeValue::Bool(false),
            TRUE => AttributeValue::Bool(true),
            NULL => AttributeValue::Null,
            M => {
                let count = self.varint();
                AttributeValue::M(self.attributes(Some(count), Reader::value).into_iter().collect())
            }
            L => AttributeValue::L((0..self.varint()).map(|_| self.value()).collect()),
            SS => AttributeValue::Ss((0..self.varint()).map(|_| self.str().to_string()).collect()),
            NS => AttributeValue::Ns((0..self.varint()).map(|_| self.number()).collect()),
            BS => AttributeValue::Bs((0..self.varint()).map(|_| self.bytes().to_vec()).collect()),
            tag => unreachable!("unknown stored tag {tag}"),
        }
    }

    /// The value's DynamoDB JSON, as `AttributeValue::to_wire` writes it.
    fn wire(&mut self) -> Value {
        let (kind, inner) = match self.byte() {
            S => ("S", Value::String(self.str().to_string())),
            N => ("N", Value::String(self.str().to_string())),
            B => ("B", Value::String(encode_base64(self.bytes()))),
            FALSE => ("BOOL", Value::Bool(false)),
            TRUE => ("BOOL", Value::Bool(true)),
            NULL => ("NULL", Value::Bool(true)),
            M => {
                let count = self.varint();
                ("M", Value::Object(self.attributes(Some(count), Reader::wire).into_iter().collect()))
            }
            L => ("L", Value::Array((0..self.varint()).map(|_| self.wire()).collect())),
            SS => ("SS", self.strings(|s| s.to_string())),
            NS => ("NS", self.strings(|s| s.to_string())),
            BS => {
                ("BS", Value::Array((0..self.varint()).map(|_| Value::String(encode_base64(self.bytes()))).collect()))
            }
            tag => unreachable!("unknown stored tag {tag}"),
        };
        let mut wrapper = Map::new();
        wrapper.insert(kind.to_string(), inner);
        Value::Object(wrapper)
    }

    fn strings(&mut self, each: impl Fn(&str) -> String) -> Value {
        Value::Array((0..self.varint()).map(|_| Value::String(each(self.str()))).collect())
    }

    fn skip_value(&mut self) {
        match self.byte() {
            S | N | B => {
                self.bytes();
            }
            FALSE | TRUE | NULL => {}
            M => {
                for _ in 0..self.varint() {
                    self.bytes();
                    self.skip_value();
                }
            }
            L => {
                for _ in 0..self.varint() {
                    self.skip_value();
                }
            }
            SS | NS | BS => {
                for _ in 0..self.varint() {
                    self.bytes();
                }
            }
            tag => unreachable!("unknown stored tag {tag}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dynamodb::model::{item_from_wire, item_to_wire};
    use serde_json::json;

    /// Every type, nested, with an empty string and a name longer than one varint byte.
    fn sample() -> Item {
        let wire = json!({
            "S": {"S": "Acme Band"}, "empty": {"S": ""}, "N": {"N": "-12.50"}, "B": {"B": "aGVsbG8="},
            "t": {"BOOL": true}, "f": {"BOOL": false}, "z": {"NULL": true},
            "M": {"M": {"inner": {"L": [{"N": "1"}, {"M": {}}, {"L": []}]}, "x": {"SS": ["b", "a"]}}},
            "NS": {"NS": ["3", "1E+2"]}, "BS": {"BS": ["AA==", "AQ=="]},
        });
        let mut item = item_from_wire(wire.as_object().unwrap(), "Item").unwrap();
        item.insert("long name ".repeat(20), AttributeValue::S("é".repeat(100)));
        item
    }

    #[test]
    fn round_trips_and_writes_the_same_wire_form() {
        for item in [sample(), Item::new()] {
            let stored = StoredItem::encode(&item);
            assert_eq!(stored.decode(), item);
            assert_eq!(stored.to_wire(), item_to_wire(&item));
            assert_eq!(stored.size(), item_size(&item));
        }
    }

    #[test]
    fn reads_one_attribute_without_decoding_the_rest() {
        let stored = StoredItem::encode(&sample());
        assert_eq!(stored.get("N"), sample().get("N").cloned());
        assert_eq!(stored.get("nope"), None);
        assert_eq!(stored.key_value("S", ScalarType::S), Some(KeyValue::S("Acme Band".into())));
        assert_eq!(stored.key_value("N", ScalarType::N), KeyValue::of(&sample()["N"]));
        assert_eq!(stored.key_value("B", ScalarType::B), Some(KeyValue::B(b"hello".to_vec())));
        assert_eq!(stored.key_value("S", ScalarType::N), None);
        assert_eq!(stored.key_value("M", ScalarType::S), None);
    }

    #[test]
    fn equal_items_have_equal_bytes() {
        let mut reordered = Item::new();
        for (name, value) in sample().into_iter().rev() {
            reordered.insert(name, value);
        }
        assert_eq!(StoredItem::encode(&reordered), StoredItem::encode(&sample()));
    }
}

//! Expression text to tokens.

use super::ast::Span;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Tok {
    /// An attribute name, keyword or function name: `[A-Za-z_][A-Za-z0-9_]*`.
    Word(String),
    /// `#name`.
    NamePlaceholder(String),
    /// `:value`.
    ValuePlaceholder(String),
    /// Digits, only meaningful inside `[ ]`.
    Integer(String),
    Dot,
    Comma,
    LParen,
    RParen,
    LBracket,
    RBracket,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Plus,
    Minus,
    /// End of the expression.
    Eof,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    pub tok: Tok,
    pub span: Span,
}

/// A character no token can start with, at this byte offset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadChar {
    pub at: usize,
    pub ch: char,
}

pub fn lex(text: &str) -> Result<Vec<Token>, BadChar> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    let word_char = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    while i < bytes.len() {
        let b = bytes[i];
        let start = i;
        let single = |tok: Tok| Token { tok, span: start..start + 1 };
        match b {
            b' ' | b'\t' | b'\n' | b'\r' => {
                i += 1;
                continue;
            }
            b'.' => tokens.push(single(Tok::Dot)),
            b',' => tokens.push(single(Tok::Comma)),
            b'(' => tokens.push(single(Tok::LParen)),
            b')' => tokens.push(single(Tok::RParen)),
            b'[' => tokens.push(single(Tok::LBracket)),
            b']' => tokens.push(single(Tok::RBracket)),
            b'=' => tokens.push(single(Tok::Eq)),
            b'+' => tokens.push(single(Tok::Plus)),
            b'-' => tokens.push(single(Tok::Minus)),
            b'<' | b'>' => {
                let next = bytes.get(i + 1).copied();
                let (tok, len) = match (b, next) {
                    (b'<', Some(b'>')) => (Tok::Ne, 2),
                    (b'<', Some(b'=')) => (Tok::Le, 2),
                    (b'>', Some(b'=')) => (Tok::Ge, 2),
                    (b'<', _) => (Tok::Lt, 1),
                    _ => (Tok::Gt, 1),
                };
                tokens.push(Token { tok, span: start..start + len });
                i += len;
                continue;
            }
            b'#' | b':' => {
                i += 1;
                while i < bytes.len() && word_char(bytes[i]) {
                    i += 1;
                }
                if i == start + 1 {
                    return Err(BadChar { at: start, ch: b as char });
                }
                let name = text[start..i].to_string();
                let tok = if b == b'#' { Tok::NamePlaceholder(name) } else { Tok::ValuePlaceholder(name) };
                tokens.push(Token { tok, span: start..i });
                continue;
            }
            b'0'..=b'9' => {
                while i < bytes.len() && bytes[i].is_ascii_digit() {
                    i += 1;
                }
                tokens.push(Token { tok: Tok::Integer(text[start..i].to_string()), span: start..i });
                continue;
            }
            b if b.is_ascii_alphabetic() || b == b'_' => {
                while i < bytes.len() && word_char(bytes[i]) {
                    i += 1;
                }
                tokens.push(Token { tok: Tok::Word(text[start..i].to_string()), span: start..i });
                continue;
            }
            _ => {
                let ch = text[start..].chars().next().unwrap_or('?');
                return Err(BadChar { at: start, ch });
            }
        }
        i += 1;
    }
    tokens.push(Token { tok: Tok::Eof, span: bytes.len()..bytes.len() });
    Ok(tokens)
}

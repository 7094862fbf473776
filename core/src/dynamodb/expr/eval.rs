//! Evaluating validated expressions against an item: conditions to booleans, projections to
//! smaller items, updates to a new item (the old one is never modified in place, so a failed
//! update leaves it as it was).

use super::ast::*;
use super::resolve::{DocPath, ExprKind, Placeholders, Step};
use crate::dynamodb::model::{AttributeValue, Item};
use crate::error::AwsError;
use std::cmp::Ordering;

/// The value at `path` in `item`, if there is one.
pub fn get<'a>(item: &'a Item, path: &DocPath) -> Option<&'a AttributeValue> {
    let mut steps = path.0.iter();
    let Some(Step::Key(first)) = steps.next() else { return None };
    let mut value = item.get(first)?;
    for step in steps {
        value = match (step, value) {
            (Step::Key(k), AttributeValue::M(m)) => m.get(k)?,
            (Step::Index(i), AttributeValue::L(l)) => l.get(*i)?,
            _ => return None,
        };
    }
    Some(value)
}

/// Order between two scalars of the same type (strings and binaries by bytes, numbers by value);
/// `None` for anything else.
pub fn compare(a: &AttributeValue, b: &AttributeValue) -> Option<Ordering> {
    match (a, b) {
        (AttributeValue::S(x), AttributeValue::S(y)) => Some(x.as_bytes().cmp(y.as_bytes())),
        (AttributeValue::N(x), AttributeValue::N(y)) => Some(x.cmp(y)),
        (AttributeValue::B(x), AttributeValue::B(y)) => Some(x.cmp(y)),
        _ => None,
    }
}

/// Equality as DynamoDB sees it: same type and value; sets ignore order.
pub fn equal(a: &AttributeValue, b: &AttributeValue) -> bool {
    fn same_members<T: PartialEq>(x: &[T], y: &[T]) -> bool {
        x.len() == y.len() && x.iter().all(|m| y.contains(m))
    }
    match (a, b) {
        (AttributeValue::Ss(x), AttributeValue::Ss(y)) => same_members(x, y),
        (AttributeValue::Ns(x), AttributeValue::Ns(y)) => same_members(x, y),
        (AttributeValue::Bs(x), AttributeValue::Bs(y)) => same_members(x, y),
        (AttributeValue::M(x), AttributeValue::M(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| equal(v, w)))
        }
        (AttributeValue::L(x), AttributeValue::L(y)) => x.len() == y.len() && x.iter().zip(y).all(|(v, w)| equal(v, w)),
        _ => a == b,
    }
}

/// The value of a condition operand, `None` when it refers to a missing attribute.
fn operand(
    op: &Operand,
    item: &Item,
    ph: &mut Placeholders,
    kind: ExprKind,
) -> Result<Option<AttributeValue>, AwsError> {
    Ok(match op {
        Operand::Path(p) => get(item, &ph.path(p, kind)?).cloned(),
        Operand::Value(name, _) => Some(ph.value(name).clone()),
        Operand::Size(p, _) => {
            let size = match get(item, &ph.path(p, kind)?) {
                Some(AttributeValue::S(s)) => Some(s.chars().count()),
                Some(AttributeValue::B(b)) => Some(b.len()),
                Some(AttributeValue::Ss(s)) => Some(s.len()),
                Some(AttributeValue::Ns(s)) => Some(s.len()),
                Some(AttributeValue::Bs(s)) => Some(s.len()),
                Some(AttributeValue::L(l)) => Some(l.len()),
                Some(AttributeValue::M(m)) => Some(m.len()),
                _ => None,
            };
            size.map(|n| {
                AttributeValue::N(crate::dynamodb::number::Number::parse(&n.to_string()).expect("a count is a number"))
            })
        }
        // Only updates have these; the parser keeps them out of conditions.
        Operand::IfNotExists(..) | Operand::ListAppend(..) | Operand::Plus(..) | Operand::Minus(..) => None,
    })
}

/// Whether `item` (`None`: no item) satisfies `condition`.
pub fn condition(
    condition: &Condition,
    item: Option<&Item>,
    ph: &mut Placeholders,
    kind: ExprKind,
) -> Result<bool, AwsError> {
    let empty = Item::new();
    let item = item.unwrap_or(&empty);
    Ok(match condition {
        Condition::Compare(a, cmp, b) => {
            let (a, b) = (operand(a, item, ph, kind)?, operand(b, item, ph, kind)?);
            match (a, b, cmp) {
                (Some(a), Some(b), Comparator::Eq) => equal(&a, &b),
                (Some(a), Some(b), Comparator::Ne) => !equal(&a, &b),
                (None, Some(_), Comparator::Ne) | (Some(_), None, Comparator::Ne) => true,
                (Some(a), Some(b), cmp) => match compare(&a, &b) {
                    Some(order) => match cmp {
                        Comparator::Lt => order == Ordering::Less,
                        Comparator::Le => order != Ordering::Greater,
                        Comparator::Gt => order == Ordering::Greater,
                        Comparator::Ge => order != Ordering::Less,
                        Comparator::Eq | Comparator::Ne => unreachable!("handled above"),
                    },
                    None => false,
                },
                _ => false,
            }
        }
        Condition::Between(x, low, high) => {
            match (operand(x, item, ph, kind)?, operand(low, item, ph, kind)?, operand(high, item, ph, kind)?) {
                (Some(x), Some(low), Some(high)) => {
                    compare(&low, &x).is_some_and(|o| o != Ordering::Greater)
                        && compare(&x, &high).is_some_and(|o| o != Ordering::Greater)
                }
                _ => false,
            }
        }
        Condition::In(x, list) => match operand(x, item, ph, kind)? {
            Some(x) => {
                let mut found = false;
                for candidate in list {
                    if operand(candidate, item, ph, kind)?.is_some_and(|c| equal(&x, &c)) {
                        found = true;
                        break;
                    }
                }
                found
            }
            None => false,
        },
        Condition::And(a, b) => self::condition(a, Some(item), ph, kind)? && self::condition(b, Some(item), ph, kind)?,
        Condition::Or(a, b) => self::condition(a, Some(item), ph, kind)? || self::condition(b, Some(item), ph, kind)?,
        Condition::Not(a) => !self::condition(a, Some(item), ph, kind)?,
        Condition::AttributeExists(p) => get(item, &ph.path(p, kind)?).is_some(),
        Condition::AttributeNotExists(p) => get(item, &ph.path(p, kind)?).is_none(),
        Condition::AttributeType(p, t) => {
            let value = get(item, &ph.path(p, kind)?).map(AttributeValue::type_name);
            match operand(t, item, ph, kind)? {
                Some(AttributeValue::S(t)) => value == Some(t.as_str()),
                _ => false,
            }
        }
        Condition::BeginsWith(a, b) => match (operand(a, item, ph, kind)?, operand(b, item, ph, kind)?) {
            (Some(AttributeValue::S(s)), Some(AttributeValue::S(p))) => s.starts_with(&p),
            (Some(AttributeValue::B(s)), Some(AttributeValue::B(p))) => s.starts_with(&p),
            _ => false,
        },
        Condition::Contains(a, b) => match (operand(a, item, ph, kind)?, operand(b, item, ph, kind)?) {
            (Some(AttributeValue::S(s)), Some(AttributeValue::S(p))) => s.contains(&p),
            (Some(AttributeValue::B(s)), Some(AttributeValue::B(p))) => {
                p.is_empty() || s.windows(p.len()).any(|w| w == p.as_slice())
            }
            (Some(AttributeValue::Ss(set)), Some(AttributeValue::S(m))) => set.contains(&m),
            (Some(AttributeValue::Ns(set)), Some(AttributeValue::N(m))) => set.contains(&m),
            (Some(AttributeValue::Bs(set)), Some(AttributeValue::B(m))) => set.contains(&m),
            (Some(AttributeValue::L(list)), Some(m)) => list.iter().any(|v| equal(v, &m)),
            _ => false,
        },
    })
}

/// The attributes of `item` named by `paths`, nested as in the item (list elements keep their
/// relative order, compacted).
pub fn project(item: &Item, paths: &[DocPath]) -> Item {
    let mut out = Item::new();
    for path in paths {
        if let Some(value) = get(item, path) {
            insert_projected(&mut out, item, &path.0, value.clone());
        }
    }
    out
}

fn insert_projected(out: &mut Item, source: &Item, steps: &[Step], value: AttributeValue) {
    let Some(Step::Key(first)) = steps.first() else { return };
    if steps.len() == 1 {
        out.insert(first.clone(), value);
        return;
    }
    let source_child = source.get(first);
    let slot = out.entry(first.clone()).or_insert_with(|| match source_child {
        Some(AttributeValue::L(_)) => AttributeValue::L(Vec::new()),
        _ => AttributeValue::M(Item::new()),
    });
    insert_nested(slot, source_child, &steps[1..], value);
}

fn insert_nested(slot: &mut AttributeValue, source: Option<&AttributeValue>, steps: &[Step], value: AttributeValue) {
    match (&steps[0], slot, source) {
        (Step::Key(k), AttributeValue::M(m), Some(AttributeValue::M(src))) => {
            if steps.len() == 1 {
                m.insert(k.clone(), value);
            } else {
                let child_src = src.get(k);
                let child = m.entry(k.clone()).or_insert_with(|| match child_src {
                    Some(AttributeValue::L(_)) => AttributeValue::L(Vec::new()),
                    _ => AttributeValue::M(Item::new()),
                });
                insert_nested(child, child_src, &steps[1..], value);
            }
        }
        (Step::Index(i), AttributeValue::L(l), Some(AttributeValue::L(src))) => {
            if steps.len() == 1 {
                l.push(value);
            } else {
                let child_src = src.get(*i);
                let mut child = match child_src {
                    Some(AttributeValue::L(_)) => AttributeValue::L(Vec::new()),
                    _ => AttributeValue::M(Item::new()),
                };
                insert_nested(&mut child, child_src, &steps[1..], value);
                l.push(child);
            }
        }
        _ => {}
    }
}

fn update_error(message: &str) -> AwsError {
    AwsError::client("ValidationException", message)
}

const WRONG_TYPE: &str = "An operand in the update expression has an incorrect data type";
const MISSING: &str = "The provided expression refers to an attribute that does not exist in the item";
const BAD_PATH: &str = "The document path provided in the update expression is invalid for update";

/// The value of an update operand, evaluated against the item as it was before the update.
fn update_operand(op: &Operand, item: &Item, ph: &mut Placeholders) -> Result<AttributeValue, AwsError> {
    let kind = ExprKind::Update;
    match op {
        Operand::Path(p) => get(item, &ph.path(p, kind)?).cloned().ok_or_else(|| update_error(MISSING)),
        Operand::Value(name, _) => Ok(ph.value(name).clone()),
        Operand::IfNotExists(p, fallback, _) => match get(item, &ph.path(p, kind)?) {
            Some(v) => Ok(v.clone()),
            None => update_operand(fallback, item, ph),
        },
        Operand::ListAppend(a, b, _) => match (update_operand(a, item, ph)?, update_operand(b, item, ph)?) {
            (AttributeValue::L(mut a), AttributeValue::L(b)) => {
                a.extend(b);
                Ok(AttributeValue::L(a))
            }
            _ => Err(update_error(WRONG_TYPE)),
        },
        Operand::Plus(a, b, _) | Operand::Minus(a, b, _) => {
            match (update_operand(a, item, ph)?, update_operand(b, item, ph)?) {
                (AttributeValue::N(x), AttributeValue::N(y)) => {
                    let result = if matches!(op, Operand::Plus(..)) { x.add(&y) } else { x.sub(&y) };
                    result.map(AttributeValue::N).map_err(|e| update_error(&e.to_string()))
                }
                _ => Err(update_error(WRONG_TYPE)),
            }
        }
        Operand::Size(..) => Err(update_error(WRONG_TYPE)),
    }
}

/// Applies validated update actions to a copy of `item`.
pub fn update(item: &Item, actions: &[UpdateAction], ph: &mut Placeholders) -> Result<Item, AwsError> {
    let kind = ExprKind::Update;
    // Every right-hand side sees the item as it was before the update.
    let mut planned: Vec<(DocPath, Change)> = Vec::new();
    for action in actions {
        match action {
            UpdateAction::Set(path, op) => {
                planned.push((ph.path(path, kind)?, Change::Set(update_operand(op, item, ph)?)))
            }
            UpdateAction::Remove(path) => planned.push((ph.path(path, kind)?, Change::Remove)),
            UpdateAction::Add(path, op) => {
                let path = ph.path(path, kind)?;
                let value = update_operand(op, item, ph)?;
                let new = match (get(item, &path), value) {
                    (None, value) => value,
                    (Some(AttributeValue::N(x)), AttributeValue::N(y)) => {
                        AttributeValue::N(x.add(&y).map_err(|e| update_error(&e.to_string()))?)
                    }
                    (Some(AttributeValue::Ss(x)), AttributeValue::Ss(y)) => AttributeValue::Ss(union(x.clone(), y)),
                    (Some(AttributeValue::Ns(x)), AttributeValue::Ns(y)) => AttributeValue::Ns(union(x.clone(), y)),
                    (Some(AttributeValue::Bs(x)), AttributeValue::Bs(y)) => AttributeValue::Bs(union(x.clone(), y)),
                    _ => return Err(update_error(WRONG_TYPE)),
                };
                planned.push((path, Change::Set(new)));
            }
            UpdateAction::Delete(path, op) => {
                let path = ph.path(path, kind)?;
                let value = update_operand(op, item, ph)?;
                let change = match (get(item, &path), value) {
                    (None, _) => continue,
                    (Some(AttributeValue::Ss(x)), AttributeValue::Ss(y)) => {
                        set_or_remove(difference(x, &y), AttributeValue::Ss)
                    }
                    (Some(AttributeValue::Ns(x)), AttributeValue::Ns(y)) => {
                        set_or_remove(difference(x, &y), AttributeValue::Ns)
                    }
                    (Some(AttributeValue::Bs(x)), AttributeValue::Bs(y)) => {
                        set_or_remove(difference(x, &y), AttributeValue::Bs)
                    }
                    _ => return Err(update_error(WRONG_TYPE)),
                };
                planned.push((path, change));
            }
        }
    }
    // List removals run from the highest index down so that earlier removals do not shift later ones.
    planned.sort_by(|(a, ca), (b, cb)| match (ca, cb) {
        (Change::Remove, Change::Remove) => b.cmp(a),
        _ => std::cmp::Ordering::Equal,
    });
    let mut out = item.clone();
    for (path, change) in planned {
        apply(&mut out, &path.0, change)?;
    }
    Ok(out)
}

enum Change {
    Set(AttributeValue),
    Remove,
}

fn union<T: PartialEq>(mut x: Vec<T>, y: Vec<T>) -> Vec<T> {
    for m in y {
        if !x.contains(&m) {
            x.push(m);
        }
    }
    x
}

fn difference<T: PartialEq + Clone>(x: &[T], y: &[T]) -> Vec<T> {
    x.iter().filter(|m| !y.contains(m)).cloned().collect()
}

fn set_or_remove<T>(members: Vec<T>, wrap: impl Fn(Vec<T>) -> AttributeValue) -> Change {
    if members.is_empty() {
        Change::Remove
    } else {
        Change::Set(wrap(members))
    }
}

fn apply(item: &mut Item, steps: &[Step], change: Change) -> Result<(), AwsError> {
    let Some(Step::Key(first)) = steps.first() else { return Err(update_error(BAD_PATH)) };
    if steps.len() == 1 {
        match change {
            Change::Set(v) => {
                item.insert(first.clone(), v);
            }
            Change::Remove => {
                item.remove(first);
            }
        }
        return Ok(());
    }
    // A nested path needs its parent, for REMOVE as for SET.
    match item.get_mut(first) {
        Some(child) => apply_nested(child, &steps[1..], change),
        None => Err(update_error(BAD_PATH)),
    }
}

fn apply_nested(value: &mut AttributeValue, steps: &[Step], change: Change) -> Result<(), AwsError> {
    let last = steps.len() == 1;
    match (&steps[0], value) {
        (Step::Key(k), AttributeValue::M(m)) => {
            if last {
                match change {
                    Change::Set(v) => {
                        m.insert(k.clone(), v);
                    }
                    Change::Remove => {
                        m.remove(k);
                    }
                }
                Ok(())
            } else {
                match m.get_mut(k) {
                    Some(child) => apply_nested(child, &steps[1..], change),
                    None => Err(update_error(BAD_PATH)),
                }
            }
        }
        (Step::Index(i), AttributeValue::L(l)) => {
            if last {
                match change {
                    // Past the end appends, as DynamoDB does.
                    Change::Set(v) if *i >= l.len() => l.push(v),
                    Change::Set(v) => l[*i] = v,
                    Change::Remove if *i < l.len() => {
                        l.remove(*i);
                    }
                    Change::Remove => {}
                }
                Ok(())
            } else {
                match l.get_mut(*i) {
                    Some(child) => apply_nested(child, &steps[1..], change),
                    None => Err(update_error(BAD_PATH)),
                }
            }
        }
        _ => Err(update_error(BAD_PATH)),
    }
}

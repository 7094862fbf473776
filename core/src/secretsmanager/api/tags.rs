//! TagResource and UntagResource: a secret's tags, which are metadata (no version changes).
//!
//! Each parses, checks the secret (not scheduled for deletion) and commits the new tag list.

use super::*;

/// The tags a request leaves on a secret, checked against it.
struct Retag {
    /// The secret's name.
    name: String,
    /// Its whole tag list afterwards.
    tags: Vec<(String, String)>,
}

impl Retag {
    fn commit(self, sm: &mut SecretsManager, ctx: &mut Ctx) -> Value {
        let secret = sm.secrets.get_mut(&self.name).expect("checked");
        secret.tags = Some(self.tags);
        secret.last_changed_ms = ctx.now_ms;
        json!({})
    }
}

/// TagResource's input.
struct TagResource {
    id: String,
    /// Tags to add; a key already on the secret gets the new value.
    tags: Vec<(String, String)>,
}

impl TagResource {
    fn parse(request: &Value) -> Result<TagResource, AwsError> {
        let r = object_with(request, &["SecretId", "Tags"])?;
        let id = secret_id(r)?;
        let tags = read_tags(r.get("Tags").filter(|v| !v.is_null()).ok_or_else(|| wire::missing("Tags"))?)?;
        Ok(TagResource { id, tags })
    }

    fn check(self, sm: &SecretsManager) -> Result<Retag, AwsError> {
        let secret = find_live(sm, &self.id)?;
        let mut tags = secret.tags.clone().unwrap_or_default();
        for (key, value) in self.tags {
            match tags.iter_mut().find(|(k, _)| *k == key) {
                Some(tag) => tag.1 = value,
                None => tags.push((key, value)),
            }
        }
        Ok(Retag { name: secret.name.clone(), tags })
    }
}

pub(super) fn tag_resource(sm: &mut SecretsManager, ctx: &mut Ctx, request: &Value) -> Result<Value, AwsError> {
    let plan = TagResource::parse(request)?.check(sm)?;
    Ok(plan.commit(sm, ctx))
}

/// UntagResource's input.
struct UntagResource {
    id: String,
    /// TagKeys: the keys to remove; a key the secret does not have is no error.
    keys: Vec<String>,
}

impl UntagResource {
    fn parse(request: &Value) -> Result<UntagResource, AwsError> {
        let r = object_with(request, &["SecretId", "TagKeys"])?;
        let id = secret_id(r)?;
        let list = r.get("TagKeys").filter(|v| !v.is_null()).ok_or_else(|| wire::missing("TagKeys"))?;
        let mut keys = Vec::new();
        for (at, key) in array(list, "TagKeys")?.iter().enumerate() {
            let path = format!("TagKeys[{at}]");
            let key = key.as_str().ok_or_else(|| wire::invalid_type(&path, key, "string"))?;
            wire::min_length(key, &path, 1)?;
            keys.push(key.to_string());
        }
        Ok(UntagResource { id, keys })
    }

    fn check(self, sm: &SecretsManager) -> Result<Retag, AwsError> {
        let secret = find_live(sm, &self.id)?;
        let mut tags = secret.tags.clone().unwrap_or_default();
        tags.retain(|(k, _)| !self.keys.contains(k));
        Ok(Retag { name: secret.name.clone(), tags })
    }
}

pub(super) fn untag_resource(sm: &mut SecretsManager, ctx: &mut Ctx, request: &Value) -> Result<Value, AwsError> {
    let plan = UntagResource::parse(request)?.check(sm)?;
    Ok(plan.commit(sm, ctx))
}

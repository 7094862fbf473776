//! A secret and its versions, named after Secrets Manager's own concepts: a version holds one
//! value, staging labels (`AWSCURRENT`, `AWSPREVIOUS`, or the learner's own) point at versions,
//! and a secret scheduled for deletion keeps everything until its recovery window ends.

use crate::clock::Millis;
use serde::{Deserialize, Serialize};

/// The label of the version GetSecretValue returns when asked for no version in particular.
pub const CURRENT: &str = "AWSCURRENT";
/// The label the previous AWSCURRENT version receives when a new version becomes current.
pub const PREVIOUS: &str = "AWSPREVIOUS";

/// One day of virtual time.
pub const DAY_MS: Millis = 86_400_000;

/// A secret: its metadata and every version it has had.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Secret {
    /// The name, unique in the account's region (scheduled-for-deletion secrets keep theirs).
    pub name: String,
    /// `arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 random characters>`: the
    /// suffix tells this secret apart from a deleted one of the same name.
    pub arn: String,
    /// Description, if one was given.
    pub description: Option<String>,
    /// KmsKeyId as given; stored and shown, never used (nothing is encrypted here).
    pub kms_key_id: Option<String>,
    /// Tags in the order they were added. `None` until tags are first set: DescribeSecret leaves
    /// `Tags` out of a secret that never had any, but shows `[]` once they were all removed.
    pub tags: Option<Vec<(String, String)>>,
    /// CreatedDate.
    pub created_ms: Millis,
    /// LastChangedDate: any change to the secret, its value or its tags.
    pub last_changed_ms: Millis,
    /// LastAccessedDate, as AWS keeps it: the day (midnight UTC) of the last GetSecretValue.
    pub last_accessed_day_ms: Option<Millis>,
    /// Set while the secret is scheduled for deletion.
    pub deletion: Option<Deletion>,
    /// Every version, oldest first. Versions that lost all their labels stay (deprecated).
    pub versions: Vec<Version>,
}

/// A scheduled deletion: when it was asked for and when the secret goes for good.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deletion {
    /// DeletedDate: when DeleteSecret was called.
    pub requested_ms: Millis,
    /// DeletionDate: the end of the recovery window, when the scheduled job removes the secret.
    pub due_ms: Millis,
}

/// One version of a secret's value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Version {
    /// VersionId: the ClientRequestToken that created it (the SDKs send a UUID).
    pub id: String,
    /// The value, as given.
    pub value: SecretValue,
    /// The staging labels attached to this version; none means deprecated.
    pub stages: Vec<String>,
    /// CreatedDate of the version.
    pub created_ms: Millis,
    /// LastAccessedDate of the version, a day like the secret's.
    pub last_accessed_day_ms: Option<Millis>,
}

/// A secret value: SecretString or SecretBinary (kept as the base64 text the wire carries).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SecretValue {
    String(String),
    Binary(String),
}

impl SecretValue {
    /// The response member that carries this value and its text.
    pub fn member(&self) -> (&'static str, &str) {
        match self {
            SecretValue::String(text) => ("SecretString", text),
            SecretValue::Binary(base64) => ("SecretBinary", base64),
        }
    }
}

impl Secret {
    /// The version with `id`.
    pub fn version(&self, id: &str) -> Option<&Version> {
        self.versions.iter().find(|v| v.id == id)
    }

    /// The version that carries the staging label `stage`.
    pub fn staged(&self, stage: &str) -> Option<&Version> {
        self.versions.iter().find(|v| v.stages.iter().any(|s| s == stage))
    }

    /// Adds `version` with the labels it carries: each label leaves the version that had it. When
    /// AWSCURRENT moves, the version that had it becomes AWSPREVIOUS (and the one that was
    /// AWSPREVIOUS loses that label), as PutSecretValue and UpdateSecret do.
    pub fn add_version(&mut self, version: Version) {
        let old_current = self.staged(CURRENT).map(|v| v.id.clone());
        for label in &version.stages {
            for other in &mut self.versions {
                other.stages.retain(|s| s != label);
            }
        }
        if let Some(old) = old_current.filter(|_| version.stages.iter().any(|s| s == CURRENT)) {
            for other in &mut self.versions {
                other.stages.retain(|s| s != PREVIOUS);
            }
            if let Some(v) = self.versions.iter_mut().find(|v| v.id == old) {
                v.stages.push(PREVIOUS.to_string());
            }
        }
        self.versions.push(version);
    }

    /// The versions that carry labels, with their labels: DescribeSecret's VersionIdsToStages.
    pub fn labelled(&self) -> impl Iterator<Item = &Version> {
        self.versions.iter().filter(|v| !v.stages.is_empty())
    }

    /// The ARN of this secret without its random suffix: the partial ARN that also finds it.
    pub fn partial_arn(&self) -> &str {
        &self.arn[..self.arn.len() - 7]
    }
}

/// The day (midnight UTC) that contains `ms`: the resolution of LastAccessedDate.
pub fn day_of(ms: Millis) -> Millis {
    ms - ms % DAY_MS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(id: &str, stages: &[&str]) -> Version {
        Version {
            id: id.into(),
            value: SecretValue::String(id.into()),
            stages: stages.iter().map(|s| s.to_string()).collect(),
            created_ms: 0,
            last_accessed_day_ms: None,
        }
    }

    /// Adds versions in order, each with its labels, and renders every version's labels.
    fn check(added: &[(&str, &[&str])], expect: &str) {
        let mut secret = Secret {
            name: "s".into(),
            arn: "arn:aws:secretsmanager:r:1:secret:s-abcdef".into(),
            description: None,
            kms_key_id: None,
            tags: None,
            created_ms: 0,
            last_changed_ms: 0,
            last_accessed_day_ms: None,
            deletion: None,
            versions: Vec::new(),
        };
        for (id, stages) in added {
            secret.add_version(version(id, stages));
        }
        let got: Vec<String> = secret.versions.iter().map(|v| format!("{}={}", v.id, v.stages.join("+"))).collect();
        assert_eq!(got.join(" "), expect);
    }

    #[test]
    fn labels_move_as_versions_are_added() {
        check(&[("v1", &[CURRENT])], "v1=AWSCURRENT");
        check(&[("v1", &[CURRENT]), ("v2", &[CURRENT])], "v1=AWSPREVIOUS v2=AWSCURRENT");
        check(&[("v1", &[CURRENT]), ("v2", &[CURRENT]), ("v3", &[CURRENT])], "v1= v2=AWSPREVIOUS v3=AWSCURRENT");
        // A version staged under another label leaves AWSCURRENT where it is.
        check(&[("v1", &[CURRENT]), ("v2", &["AWSPENDING"])], "v1=AWSCURRENT v2=AWSPENDING");
        check(
            &[("v1", &[CURRENT]), ("v2", &["test"]), ("v3", &["test", CURRENT])],
            "v1=AWSPREVIOUS v2= v3=test+AWSCURRENT",
        );
        assert_eq!(day_of(1_735_689_600_000 + 5 * 3_600_000), 1_735_689_600_000);
    }
}

//! URL slugs for departments and sites: lowercase ASCII letters, digits and `-` only, so a
//! slug is safe in a URL and as a folder name and can never climb out of the output folder.
//! The same name always gives the same slug.

/// A slug for `name`: readable when the name is plain ASCII, else `prefix-` and a hash of the
/// name (Chinese names have no agreed romanisation; the hash keeps the slug stable).
pub fn derive(prefix: &str, name: &str) -> String {
    let ascii: String = name
        .trim()
        .chars()
        .map(|c| match c {
            'a'..='z' | '0'..='9' => c,
            'A'..='Z' => c.to_ascii_lowercase(),
            ' ' | '-' | '_' | '.' => '-',
            _ => '\0',
        })
        .collect();
    let readable = !ascii.is_empty() && !ascii.contains('\0');
    let collapsed: Vec<&str> = ascii.split('-').filter(|s| !s.is_empty()).collect();
    let joined = collapsed.join("-");
    if readable && !joined.is_empty() && joined.len() <= 48 && !is_reserved(&joined) {
        return joined;
    }
    format!("{prefix}-{:08x}", fnv1a32(name.as_bytes()))
}

/// Names Windows will not create as folders (a site copied there would break).
fn is_reserved(slug: &str) -> bool {
    let stem = slug.split('.').next().unwrap_or(slug);
    matches!(stem, "con" | "prn" | "aux" | "nul")
        || (stem.len() == 4
            && (stem.starts_with("com") || stem.starts_with("lpt"))
            && stem.as_bytes()[3].is_ascii_digit())
}

/// FNV-1a: tiny, stable across versions and platforms (unlike std's hasher), fine for naming.
fn fnv1a32(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5, |h, &b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_safe_and_stable() {
        assert_eq!(derive("dept", "Customer Service"), "customer-service");
        assert!(derive("dept", "CON").starts_with("dept-"));
        assert!(derive("dept", "com1").starts_with("dept-"));
        assert_eq!(derive("dept", "工程部"), derive("dept", "工程部"));
        assert_ne!(derive("dept", "工程部"), derive("dept", "保洁部"));
        for evil in ["../../etc", "<script>", "a/b", "..", "", "工程部/../x"] {
            let s = derive("dept", evil);
            assert!(
                !s.is_empty()
                    && s.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{evil} → {s}"
            );
            assert!(!s.starts_with('-'), "{evil} → {s}");
        }
        // FNV-1a of "a" is 0xe40c292c (the published test vector).
        assert_eq!(
            derive("site", "ä"),
            format!("site-{:08x}", fnv1a32("ä".as_bytes()))
        );
        assert_eq!(fnv1a32(b"a"), 0xe40c_292c);
    }
}

//! Edit distance, as far as the stages need it: whether two names are one typo apart ("Blnken"
//! for "Blinken", the mark of a machine-spun copy).

/// Whether `a` and `b` are at most one edit apart: insert, delete or substitute one char, or
/// swap two neighbours ("Bieker" for "Beiker", the commonest slip of a typing hand).
/// Linear in the length; compares chars, so case and accents count as edits.
pub fn within_one_edit(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let (short, long) = if a.len() <= b.len() { (&a, &b) } else { (&b, &a) };
    if long.len() - short.len() > 1 {
        return false;
    }
    let prefix = short.iter().zip(long.iter()).take_while(|(x, y)| x == y).count();
    if short.len() == long.len() {
        let swapped = prefix + 1 < short.len()
            && short[prefix] == long[prefix + 1]
            && short[prefix + 1] == long[prefix]
            && short[prefix + 2..] == long[prefix + 2..];
        swapped
            || short[prefix + 1.min(short.len() - prefix)..] == long[prefix + 1.min(long.len() - prefix)..]
    } else {
        short[prefix..] == long[prefix + 1..]
    }
}

#[cfg(test)]
mod tests {
    use super::within_one_edit;

    #[test]
    fn counts_one_insertion_deletion_substitution_or_swap() {
        assert!(within_one_edit("Blinken", "Blnken"));
        assert!(within_one_edit("Blnken", "Blinken"));
        assert!(within_one_edit("Blinken", "Blinkin"));
        assert!(within_one_edit("Blinken", "Blinken"));
        assert!(within_one_edit("a", ""));
        assert!(within_one_edit("", ""));
        assert!(within_one_edit("Зеленский", "Зеленскй"));
        assert!(!within_one_edit("blinken", "blnkin"));
        assert!(!within_one_edit("Blinken", "Bliken s"));
        assert!(within_one_edit("Beiker", "Bieker"));
        assert!(within_one_edit("ab", "ba"));
        assert!(!within_one_edit("abc", "bca"));
        assert!(!within_one_edit("Beiker", "Biekre"));
    }
}

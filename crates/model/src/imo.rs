//! IMO ship identification numbers.

use std::fmt;

/// An IMO ship number as broadcast or listed: seven digits whose last is a
/// check digit. Any value is representable, because AIS type 5 carries 30
/// bits and watch lists carry typos; [`Imo::has_valid_check_digit`] tells
/// whether the number is well formed. A valid check digit proves nothing
/// about the hull: DPRK "identity laundering" used valid-looking numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Imo(pub u32);

impl Imo {
    /// The check digit the first six digits call for: weights 7, 6, 5, 4,
    /// 3, 2, sum modulo 10.
    pub fn check_digit_for(first_six_digits: u32) -> u8 {
        let mut rest = first_six_digits;
        let mut sum = 0;
        for weight in 2..=7 {
            sum += (rest % 10) * weight;
            rest /= 10;
        }
        (sum % 10) as u8
    }

    /// The IMO number made of six digits and their check digit.
    pub fn with_check_digit(first_six_digits: u32) -> Option<Imo> {
        (100_000..=999_999)
            .contains(&first_six_digits)
            .then(|| Imo(first_six_digits * 10 + u32::from(Imo::check_digit_for(first_six_digits))))
    }

    /// True for a seven-digit number whose last digit checks.
    pub fn has_valid_check_digit(self) -> bool {
        (1_000_000..=9_999_999).contains(&self.0) && Imo::check_digit_for(self.0 / 10) == (self.0 % 10) as u8
    }
}

impl fmt::Display for Imo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_numbers_check() {
        // Lady R (FACTS.md §1) and the worked example of the IMO scheme.
        assert!(Imo(9161003).has_valid_check_digit());
        assert!(Imo(9074729).has_valid_check_digit());
        assert!(!Imo(9161004).has_valid_check_digit());
        assert!(!Imo(916100).has_valid_check_digit());
        assert_eq!(Imo::with_check_digit(907472), Some(Imo(9074729)));
        assert_eq!(Imo::with_check_digit(99_999), None);
    }

    #[test]
    fn exactly_one_check_digit_fits() {
        for first_six in (100_000..1_000_000).step_by(7919) {
            let valid = (0..10).filter(|d| Imo(first_six * 10 + d).has_valid_check_digit()).count();
            assert_eq!(valid, 1);
        }
    }
}

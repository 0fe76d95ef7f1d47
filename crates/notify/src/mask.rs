//! Masking of recipients for logs: enough to correlate, not enough to identify.

use crate::DeliveryRoute;

/// `13812341234` → `138****1234`; short numbers keep only their last two digits.
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    let n = chars.len();
    if n >= 8 {
        // A leading "+86" style prefix stays visible with the first three digits.
        let head = if chars[0] == '+' {
            n.min(6).min(n - 4)
        } else {
            3
        };
        let head: String = chars[..head].iter().collect();
        let tail: String = chars[n - 4..].iter().collect();
        format!("{head}****{tail}")
    } else if n > 2 {
        let tail: String = chars[n - 2..].iter().collect();
        format!("****{tail}")
    } else {
        "****".to_string()
    }
}

/// `zhang.san@example.com` → `z***@example.com`.
pub fn mask_email(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".to_string(),
    }
}

/// Masks by delivery route; webhook targets keep only scheme and host.
pub fn mask_recipient(route: DeliveryRoute, to: &str) -> String {
    match route {
        DeliveryRoute::Sms => mask_phone(to),
        DeliveryRoute::Email => mask_email(to),
        DeliveryRoute::Webhook => match to.split_once("://") {
            Some((scheme, rest)) => {
                let host = rest.split(['/', '?', '#']).next().unwrap_or("");
                let host = host.rsplit('@').next().unwrap_or(host);
                format!("{scheme}://{host}/…")
            }
            None => "***".to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_phones() {
        assert_eq!(mask_phone("13812341234"), "138****1234");
        assert_eq!(mask_phone("+8613812341234"), "+86138****1234");
        assert_eq!(mask_phone("96110"), "****10");
        assert_eq!(mask_phone("1"), "****");
    }

    #[test]
    fn masks_emails_and_urls() {
        assert_eq!(mask_email("zhang.san@example.com"), "z***@example.com");
        assert_eq!(mask_email("nonsense"), "***");
        assert_eq!(
            mask_recipient(
                DeliveryRoute::Webhook,
                "https://user:pw@hook.example/path?t=1"
            ),
            "https://hook.example/…"
        );
    }
}

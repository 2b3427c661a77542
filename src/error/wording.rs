//! Errors the operating system gives as English text (a file that cannot be read or
//! written), worded for a writer from their kind, with the system's text as the detail.

use crate::messages::Message;
use crate::msg;
use std::io::ErrorKind;

/// What went wrong with a file, in the catalogue's language.
pub fn io_message(e: &std::io::Error) -> Message {
    let detail = e.to_string();
    match e.kind() {
        ErrorKind::NotFound => msg!("io.not_found"),
        ErrorKind::PermissionDenied => msg!("io.permission_denied"),
        ErrorKind::AlreadyExists => msg!("io.already_exists"),
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded => msg!("io.disk_full"),
        ErrorKind::IsADirectory => msg!("io.is_a_directory"),
        ErrorKind::NotADirectory => msg!("io.not_a_directory"),
        ErrorKind::ReadOnlyFilesystem => msg!("io.read_only"),
        ErrorKind::InvalidData => msg!("io.invalid_data"),
        _ => msg!("io.other", detail = detail),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system_errors_in_both_languages() {
        let e = std::fs::read("/nonexistent/jobbvinner").unwrap_err();
        assert_eq!(io_message(&e).text("nb"), "filen eller mappen finnes ikke");
        assert_eq!(io_message(&e).text("en"), "the file or folder does not exist");
        let other = std::io::Error::other("boom");
        assert_eq!(io_message(&other).text("nb"), "filsystemet meldte en feil (boom)");
    }
}

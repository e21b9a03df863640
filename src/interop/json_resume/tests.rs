//! Import and export of the fields JSON Resume lacks.

use super::*;

/// Personal details under the names JSON Resume extensions give them
/// come in as fields anonymized variants drop; a personal section goes
/// out as a note, not as a crash.
#[test]
fn personal_details_map_to_fields_and_back_to_notes() {
    let resume = json!({
        "basics": {
            "name": "Lena Groß",
            "birthDate": "1985-11-07",
            "placeOfBirth": "Düsseldorf",
            "nationality": "deutsch",
            "maritalStatus": "verheiratet"
        }
    });
    let mut notes = Notes::default();
    let profile = import(&resume, &mut notes);
    let basics = &profile.basics;
    assert_eq!(
        basics.birth_date.map(|d| d.to_string()).as_deref(),
        Some("1985-11-07")
    );
    assert_eq!(basics.birth_place.as_deref(), Some("Düsseldorf"));
    assert_eq!(basics.nationality.as_deref(), Some("deutsch"));
    assert_eq!(basics.marital_status.as_deref(), Some("verheiratet"));
    assert!(
        notes.lines().iter().all(|l| !l.contains("birthDate")),
        "{:?}",
        notes.lines()
    );
    let mut profile = profile;
    profile.sections.push(Section::new(SectionKind::Personal));
    let mut notes = Notes::default();
    export(&profile, &mut notes);
    assert!(
        notes
            .lines()
            .iter()
            .any(|l| l.contains("no personal details")),
        "{:?}",
        notes.lines()
    );
}

//! What is redacted, and what stays, class by class.

use super::*;

/// The secrets of a profile whose document is in `lang`.
fn secrets_in(lang: &str, toml: &str) -> Secrets {
    let profile = crate::profile::parse(toml).unwrap();
    let words = &crate::layout::builtin_languages()[lang].words;
    Secrets::of(
        &profile.basics,
        &profile.anonymize,
        Tongue { code: lang, words },
    )
}

/// What redaction leaves of `text`, and the ordinary words it lost.
fn kept(s: &Secrets, text: &str, ordinary: &[&str]) -> String {
    let out = s.redact(text);
    for word in ordinary {
        assert_eq!(
            out.matches(word).count(),
            text.matches(word).count(),
            "`{word}` lost: {out}"
        );
    }
    out
}

#[test]
fn a_name_in_two_scripts_is_redacted_in_both() {
    let s = secrets("[basics]\nname = \"Wang Xiaoming (王晓明)\"\n");
    assert_eq!(
        s.redact("王晓明说：Xiaoming Wang, 王晓明。"),
        "[name]说：[name] [name], [name]。"
    );
    let s = secrets_in(
        "ar",
        "[basics]\nname = \"Youssef Al-Haddad (يوسف الحداد)\"\n",
    );
    let out = s.redact("كتب يوسف الحداد وحداد؛ Al-Haddad and Haddad; al fresco");
    assert!(
        !out.contains("يوسف") && !out.contains("حداد") && !out.contains("Haddad"),
        "{out}"
    );
    assert!(out.contains("al fresco"), "{out}");
}

#[test]
fn particles_and_titles_are_words_alone() {
    let s = secrets_in("nl", "[basics]\nname = \"Dr. Jan van der Berg\"\n");
    let out = kept(
        &s,
        "Jan van der Berg werkt bij de gemeente van Utrecht. Van der Berg en Dr. Smit; dr. Berg. Sinds jan. 2015 en Jan 2016.",
        &[
            "van Utrecht",
            "de gemeente",
            "Dr. Smit",
            "jan. 2015",
            "Jan 2016",
        ],
    );
    assert_eq!(
        out,
        "[name] werkt bij de gemeente van Utrecht. [name] en Dr. Smit; dr. [name]. Sinds jan. 2015 en Jan 2016."
    );
    let s = secrets_in("es", "[basics]\nname = \"María de la Cruz Fernández\"\n");
    assert_eq!(
        kept(
            &s,
            "De la Cruz lidera la plataforma de la empresa; Cruz y Fernández.",
            &["la plataforma", "de la empresa"]
        ),
        "[name] lidera la plataforma de la empresa; [name] y [name]."
    );
    let s = secrets_in("de", "[basics]\nname = \"Dr. rer. nat. Lena Groß\"\n");
    assert_eq!(
        kept(
            &s,
            "Dr. rer. nat. Lena Groß, Lenas großen Systeme; Frau Dr. Groß.",
            &["Dr. rer. nat.", "großen"]
        ),
        "Dr. rer. nat. [name], [name]s großen Systeme; Frau Dr. [name]."
    );
}

#[test]
fn an_irish_surname_with_its_particle_in_capitals() {
    let s = secrets("[basics]\nname = \"Siobhán Ó Súilleabháin\"\n");
    assert_eq!(
        s.redact("ÓSÚILLEABHÁIN, Ó Súilleabháin and O'Suilleabhain; o the joy"),
        "[name], [name] and [name]; o the joy"
    );
}

#[test]
fn spellings_of_places_and_names_without_their_letters() {
    let s = secrets_in(
        "de",
        "[basics]\nbirth_place = \"Düsseldorf\"\nlocation = { address = \"12 Bạch Đằng\", city = \"Malmö\" }\n",
    );
    assert_eq!(
        s.redact("aus Duesseldorf, Dusseldorf; 12 Bach Dang; Malmoe"),
        "aus [location], [location]; [location]; [location]"
    );
}

#[test]
fn russian_names_declined_by_changing_a_letter() {
    let s = secrets_in("ru", "[basics]\nname = \"Надежда Волкова\"\n");
    let out = s.redact("Команда Надежды Волковой; с Надеждой; о Волковой; Волкову");
    assert!(!out.contains("Надежд") && !out.contains("Волков"), "{out}");
}

#[test]
fn given_names_alone_and_places_declined_with_another_vowel() {
    let s = secrets_in("ko", "[basics]\nname = \"김민지\"\n");
    assert_eq!(
        s.redact("민지는 국민지원금을 신청했다"),
        "[name]는 국민지원금을 신청했다"
    );
    let s = secrets_in("zh", "[basics]\nname = \"王晓明\"\n");
    assert_eq!(s.redact("晓明负责"), "[name]负责");
    let s = secrets_in(
        "uk",
        "[basics]\nlocation = { city = \"Харків\" }\nbirth_place = \"Київ\"\n",
    );
    assert_eq!(
        s.redact("у Харкові, народилася в Києві"),
        "у [location]і, народилася в [location]і"
    );
}

#[test]
fn short_names_and_their_possessive() {
    let s = secrets_in("de", "[basics]\nname = \"Jan Lena\"\n");
    assert_eq!(s.redact("Jans und Lenas Plan"), "[name]s und [name]s Plan");
}

#[test]
fn short_and_ordinary_names_only_where_written_as_names() {
    let s = secrets_in("vi", "[basics]\nname = \"Nguyễn Thị Minh Anh\"\n");
    assert_eq!(
        kept(
            &s,
            "cuộc thi lập trình; chị Anh; NGUYỄN THỊ MINH ANH",
            &["cuộc thi"]
        ),
        "cuộc thi lập trình; chị [name]; [name]"
    );
    let s = secrets_in(
        "he",
        "[basics]\nname = \"אור לוינסון\"\nother_names = [\"Or Levinson\"]\n",
    );
    assert_eq!(
        kept(
            &s,
            "לאור הצורך; אור כתבה; Google OR-Tools; Or Levinson",
            &["לאור", "OR-Tools"]
        ),
        "לאור הצורך; [name] כתבה; Google OR-Tools; [name]"
    );
}

#[test]
fn a_networks_domain_is_nobodys() {
    let s = secrets(
        "[basics]\nprofiles = [{ network = \"LINE\", username = \"siobhan86\", url = \"https://line.me/ti/p/siobhan86\" }]\nurl = \"https://mark.dev\"\n",
    );
    assert_eq!(
        s.redact("the ticketing line; line.me/ti/p/siobhan86 and Markdown by mark.dev"),
        "the ticketing line; [link] and Markdown by [link]"
    );
}

#[test]
fn birth_dates_in_the_languages_cvgen_prints() {
    let s = secrets_in("ru", "[basics]\nbirth_date = \"1991-09-05\"\n");
    assert_eq!(
        s.redact("Родилась 5 сентября 1991 г. в Екатеринбурге"),
        "Родилась [date] в Екатеринбурге"
    );
    let s = secrets_in("th", "[basics]\nbirth_date = \"1988-05-12\"\n");
    assert_eq!(s.redact("เกิด 12 พฤษภาคม 2531 ที่"), "เกิด [date] ที่");
    let s = secrets_in("es", "[basics]\nbirth_date = \"1990-02-03\"\n");
    assert_eq!(
        s.redact("Nací el 3 de febrero de 1990 en Sevilla"),
        "Nací el [date] en Sevilla"
    );
    let s = secrets_in("tr", "[basics]\nbirth_date = \"1991-05-12\"\n");
    assert_eq!(s.redact("12 Mayıs 1991'de doğdum"), "[date]'de doğdum");
}

fn secrets(toml: &str) -> Secrets {
    let profile = crate::profile::parse(toml).unwrap();
    Secrets::of(
        &profile.basics,
        &profile.anonymize,
        super::super::tests::english(),
    )
}

#[test]
fn names_are_redacted_as_words_in_free_text() {
    let s = secrets("[basics]\nname = \"Reed Allman\"\n");
    assert_eq!(
        s.redact("Reed's talk; REED and allman."),
        "[name]'s talk; [name] and [name]."
    );
    assert_eq!(s.redact("Greed reeds allmanacks"), "Greed reeds allmanacks");
    // A declined name keeps its ending, which says nothing.
    assert_eq!(s.redact("Allmans Buch"), "[name]s Buch");
    assert_eq!(s.redact("Reed Allman wrote it"), "[name] wrote it");
}

#[test]
fn hyphenated_names_and_initials() {
    let s = secrets("[basics]\nname = \"Anne-Marie L. Smith-Jones\"\n");
    assert_eq!(
        s.redact("Smith-Jones and Anne-Marie, Smith Jones, Marie"),
        "[name] and [name], [name], [name]"
    );
    // An initial alone is an ordinary letter.
    assert_eq!(s.redact("Plan L works"), "Plan L works");
}

#[test]
fn two_letter_names_only_with_their_capitalisation() {
    let s = secrets("[basics]\nname = \"Bo Li\"\n");
    assert_eq!(
        s.redact("Li built it, li is a unit, Bo too"),
        "[name] built it, li is a unit, [name] too"
    );
}

#[test]
fn names_inside_links_and_emails() {
    let s = secrets(
        "[basics]\nname = \"Reed Allman\"\nemail = \"reed@rdallman.com\"\nurl = \"https://rdallman.com\"\n",
    );
    assert_eq!(
        s.redact("mail reed@rdallman.com or me@other.org"),
        "mail [email] or [email]"
    );
    assert_eq!(
        s.redact("see https://github.com/reedallman/fn now"),
        "see [link] now"
    );
    assert_eq!(s.redact("my blog rdallman.com/posts"), "my blog [link]");
    // Text is text: brackets are no link (links are the layout data's,
    // see `redact_document`).
    assert_eq!(
        s.redact("I dabble: [github](https://github.com/rdallman)"),
        "I dabble: [github]([link])"
    );
    assert_eq!(
        s.redact("[Fn](https://fnproject.io)"),
        "[Fn](https://fnproject.io)"
    );
}

#[test]
fn phone_numbers_in_any_formatting() {
    let s = secrets("[basics]\nphone = \"+1 (312) 555-0123\"\n");
    for text in [
        "call 312-555-0123",
        "call +13125550123",
        "call (312) 555 0123",
        "call 312.555.0123",
    ] {
        assert_eq!(s.redact(text), "call [phone]", "{text}");
    }
    assert_eq!(s.redact("grew 100x in 2019"), "grew 100x in 2019");
}

#[test]
fn names_in_scripts_without_spaces_and_their_other_spellings() {
    let s = secrets("[basics]\nname = \"Wang Xiaoming\"\nother_names = [\"王小明\"]\n");
    assert_eq!(
        s.redact("我是王小明，王小明在北京工作。Xiaoming Wang wrote it"),
        "我是[name]，[name]在北京工作。[name] [name] wrote it"
    );
}

#[test]
fn arabic_and_hebrew_names_with_their_prefixes() {
    let s = secrets("[basics]\nname = \"محمد علي\"\n");
    assert_eq!(s.redact("كتب لمحمد و محمد"), "كتب ل[name] و [name]");
    let s = secrets("[basics]\nname = \"דנה כהן\"\n");
    assert_eq!(s.redact("נשלח לדנה"), "נשלח ל[name]");
}

#[test]
fn apostrophes_accents_and_their_absence() {
    let s = secrets("[basics]\nname = \"Seán O'Neill-Brady\"\n");
    for text in [
        "O’Neill",
        "O'Neill",
        "ONeill",
        "Neill",
        "Sean",
        "Seán",
        "Sea\u{301}n",
    ] {
        assert_eq!(s.redact(text), "[name]", "{text}");
    }
    assert_eq!(s.redact("github.com/ONeill42"), "[link]");
    assert_eq!(
        s.redact("Brady's and Brady-like"),
        "[name]'s and [name]-like"
    );
    let s = secrets("[basics]\nname = \"José Müller\"\n");
    for text in [
        "Jose Muller",
        "JOSE\u{301} MU\u{308}LLER",
        "Mueller",
        "Muller's",
    ] {
        assert!(
            !s.redact(text).contains("ller") && !s.redact(text).contains("os"),
            "{text}"
        );
    }
}

#[test]
fn dates_and_places_in_any_written_form() {
    let s = secrets(
        "[basics]\nbirth_date = \"1988-03-14\"\nlocation = { city = \"Kraków\", country = \"Poland\" }\n",
    );
    for text in [
        "1988-03-14",
        "14.03.1988",
        "14/03/1988",
        "03/14/1988",
        "14 March 1988",
        "March 14, 1988",
        "14. März 1988",
        "14 mars 1988",
    ] {
        assert_eq!(s.redact(text), "[date]", "{text}");
    }
    assert_eq!(
        s.redact("born in Krakow, Poland"),
        "born in [location], Poland"
    );
}

#[test]
fn ordinary_words_stay_where_they_are_not_the_name() {
    let s = secrets("[basics]\nname = \"Will Grant\"\n");
    assert_eq!(
        s.redact("what a will grant and will not pay for. Will Grant wrote. Grant is here"),
        "what a will grant and will not pay for. [name] wrote. [name] is here"
    );
    let s = secrets("[basics]\nname = \"Bo Li\"\n");
    assert_eq!(
        s.redact("Li built Li-ion cells, li is a unit, Bo too"),
        "[name] built Li-ion cells, li is a unit, [name] too"
    );
}

#[test]
fn further_words_to_redact() {
    let profile = crate::profile::parse(
        "[basics]\nname = \"Pat Doe\"\n[anonymize]\nredact = [\"Patty\", \"Elm Street\"]\n",
    )
    .unwrap();
    let s = Secrets::of(
        &profile.basics,
        &profile.anonymize,
        super::super::tests::english(),
    );
    assert_eq!(
        s.redact("Patty lived on elm  street"),
        "[redacted] lived on [redacted]"
    );
}

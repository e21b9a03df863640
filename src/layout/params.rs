//! Layout parameters: declared in a layout's header, set by the profile's
//! `[layout]` table and by `--set key=value`, checked and converted here.
//!
//! A layout file opens with comment lines; the first one describes the layout
//! and each parameter is one line:
//!
//! ```text
//! // classic: a clean single-column CV.
//! // @param paper: choice(a4, us-letter) = "a4" -- paper size
//! // @param margin: length = "2cm" -- space around the text
//! ```
//!
//! Defaults are TOML values. Layouts receive checked values as data: lengths
//! as numbers of points, colours as `#rrggbb` strings, lists as arrays.

use serde_json::{Map, Value as Json};

use crate::error::LayoutError;

/// The type of a layout parameter.
#[derive(Debug, Clone, PartialEq)]
pub enum ParamType {
    /// A length with a unit (`pt`, `mm`, `cm`, `in`), given to layouts in
    /// pt, within a range.
    Length(Bounds),
    /// A colour as `#rgb` or `#rrggbb`.
    Color,
    /// A font family name.
    Font,
    /// A number within a range.
    Number(Bounds),
    Bool,
    String,
    /// One of a fixed set of words.
    Choice(Vec<String>),
    /// The code of a language the layout tree has words for (`lang/*.toml`).
    Language(Vec<String>),
    /// A list of words, written `a,b,c` on the command line.
    List,
}

/// The values a number or length may take, declared as
/// `length(6pt..24pt)` or `number(0.5..2)`: a value outside them could make
/// a layout unreadable or a compile run away (`spacing = 1e308`).
#[derive(Debug, Clone, PartialEq)]
pub struct Bounds {
    /// In points for lengths.
    pub min: f64,
    pub max: f64,
    /// As declared, for messages (`6pt..24pt`).
    pub shown: String,
}

impl Bounds {
    /// What a length may be when its layout declares no range: from zero to
    /// a metre, more than any page.
    fn any_length() -> Self {
        Self {
            min: 0.0,
            max: 2834.6,
            shown: "0cm..100cm".into(),
        }
    }

    /// What a number may be when its layout declares no range.
    fn any_number() -> Self {
        Self {
            min: -1000.0,
            max: 1000.0,
            shown: "-1000..1000".into(),
        }
    }

    /// Parses `min..max`, each side read by `value`.
    fn parse(text: &str, value: impl Fn(&str) -> Option<f64>) -> Option<Self> {
        let (min, max) = text.split_once("..")?;
        let (min, max) = (value(min.trim())?, value(max.trim())?);
        (min <= max).then(|| Self {
            min,
            max,
            shown: text.trim().to_owned(),
        })
    }

    fn contains(&self, value: f64) -> bool {
        (self.min..=self.max).contains(&value)
    }
}

impl ParamType {
    fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let ranged = |name: &str| {
            text.strip_prefix(name)
                .and_then(|t| t.strip_prefix('('))
                .and_then(|t| t.strip_suffix(')'))
        };
        if let Some(range) = ranged("length") {
            return Bounds::parse(range, parse_length).map(Self::Length);
        }
        if let Some(range) = ranged("number") {
            let number = |t: &str| t.parse::<f64>().ok().filter(|n| n.is_finite());
            return Bounds::parse(range, number).map(Self::Number);
        }
        if let Some(inner) = text
            .strip_prefix("choice(")
            .and_then(|t| t.strip_suffix(')'))
        {
            let values: Vec<String> = inner
                .split(',')
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
                .collect();
            return (!values.is_empty()).then_some(Self::Choice(values));
        }
        Some(match text {
            "length" => Self::Length(Bounds::any_length()),
            "color" => Self::Color,
            "font" => Self::Font,
            "number" => Self::Number(Bounds::any_number()),
            "bool" => Self::Bool,
            "string" => Self::String,
            "list" => Self::List,
            "language" => Self::Language(Vec::new()),
            _ => return None,
        })
    }

    /// How the type reads in listings and messages.
    pub fn describe(&self) -> String {
        match self {
            Self::Length(bounds) => format!(
                "length from {} (e.g. 2cm, 10.5pt, 0.8in, 18mm)",
                bounds.shown.replace("..", " to ")
            ),
            Self::Color => "colour (#rgb or #rrggbb)".into(),
            Self::Font => "font family name".into(),
            Self::Number(bounds) => format!("number from {}", bounds.shown.replace("..", " to ")),
            Self::Bool => "true or false".into(),
            Self::String => "text".into(),
            Self::Choice(values) => format!("one of: {}", values.join(", ")),
            Self::Language(codes) => format!("language code, one of: {}", codes.join(", ")),
            Self::List => "list of words (a,b,c)".into(),
        }
    }
}

/// One declared parameter.
#[derive(Debug, Clone)]
pub struct ParamSpec {
    pub name: String,
    pub ty: ParamType,
    /// The default, as written in the declaration.
    pub default: toml::Value,
    /// The default, converted as the layout receives it.
    pub value: Json,
    pub description: String,
}

/// Reads a layout's description and parameter declarations from the comment
/// lines that open it. `languages` are the codes a `language` parameter
/// accepts. A `// @params lib/cv.typ` line takes the declarations that open
/// another file of the layouts folder (`shared` finds its name as shown and
/// its text): the parameters every layout shares are declared once.
pub fn parse_header(
    file: &str,
    text: &str,
    languages: &[String],
    shared: &dyn Fn(&str) -> Option<(String, String)>,
) -> Result<(String, Vec<ParamSpec>), LayoutError> {
    let mut description = String::new();
    let mut params: Vec<ParamSpec> = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let Some(comment) = line.trim_start().strip_prefix("//") else {
            break;
        };
        let comment = comment.trim();
        let bad = |message: String| LayoutError::Declaration {
            file: file.to_owned(),
            line: index + 1,
            message,
        };
        if let Some(from) = comment.strip_prefix("@params ") {
            let from = from.trim();
            let (shown, text) = shared(from).ok_or_else(|| {
                bad(format!(
                    "`@params {from}`: no such file in the layouts folder"
                ))
            })?;
            // One level: the shared file's own `@params` lines are not followed.
            let (_, more) = parse_header(&shown, &text, languages, &|_| None)?;
            for spec in more {
                if params.iter().any(|p| p.name == spec.name) {
                    return Err(bad(format!("parameter `{}` is declared twice", spec.name)));
                }
                params.push(spec);
            }
            continue;
        }
        let Some(decl) = comment.strip_prefix("@param ") else {
            if description.is_empty() && params.is_empty() {
                description = comment.to_owned();
            }
            continue;
        };
        let shape = "write `// @param name: type = default -- description`";
        let (name, rest) = decl.split_once(':').ok_or_else(|| bad(shape.into()))?;
        let (ty, rest) = rest.split_once('=').ok_or_else(|| bad(shape.into()))?;
        let (default, doc) = rest.split_once(" -- ").unwrap_or((rest, ""));
        let name = name.trim().to_owned();
        let mut ty =
            ParamType::parse(ty).ok_or_else(|| bad(format!("unknown type `{}`", ty.trim())))?;
        if let ParamType::Language(codes) = &mut ty {
            *codes = languages.to_vec();
        }
        let default: toml::Value =
            toml::from_str::<toml::Table>(&format!("v = {}", default.trim()))
                .ok()
                .and_then(|mut table| table.remove("v"))
                .ok_or_else(|| bad(format!("default `{}` is not a TOML value", default.trim())))?;
        let mut spec = ParamSpec {
            name,
            ty,
            default,
            value: Json::Null,
            description: doc.trim().to_owned(),
        };
        spec.value = convert(&spec, &spec.default)
            .map_err(|message| bad(format!("default of `{}`: {message}", spec.name)))?;
        if params.iter().any(|p| p.name == spec.name) {
            return Err(bad(format!("parameter `{}` is declared twice", spec.name)));
        }
        params.push(spec);
    }
    Ok((description, params))
}

/// Every parameter of a layout at its default.
pub fn defaults(specs: &[ParamSpec]) -> Map<String, Json> {
    specs
        .iter()
        .map(|spec| (spec.name.clone(), spec.value.clone()))
        .collect()
}

/// A parameter value as given: typed in a profile, or text on the command line.
#[derive(Debug, Clone, Copy)]
pub enum SetValue<'a> {
    Toml(&'a toml::Value),
    Text(&'a str),
}

/// Why a setting was refused.
#[derive(Debug, Clone, PartialEq)]
pub enum SetError {
    /// The layout declares no parameter of that name.
    Unknown,
    /// The value does not fit the parameter's type.
    Bad { message: String },
}

/// Checks one setting against a layout's declarations and converts it to
/// what the layout receives.
pub fn set<'s>(
    specs: &'s [ParamSpec],
    name: &str,
    value: SetValue,
) -> Result<(&'s ParamSpec, Json), SetError> {
    let spec = specs
        .iter()
        .find(|spec| spec.name == name)
        .ok_or(SetError::Unknown)?;
    let converted = match value {
        SetValue::Toml(value) => convert(spec, value),
        SetValue::Text(text) => convert_text(spec, text),
    };
    converted
        .map(|json| (spec, json))
        .map_err(|message| SetError::Bad { message })
}

/// Converts a command-line value: lists split at commas, numbers and booleans
/// parse, everything else is a string.
fn convert_text(spec: &ParamSpec, text: &str) -> Result<Json, String> {
    let value = match spec.ty {
        ParamType::List => toml::Value::Array(
            text.split(',')
                .map(|s| toml::Value::String(s.trim().to_owned()))
                .filter(|v| v.as_str() != Some(""))
                .collect(),
        ),
        ParamType::Number(_) => toml::Value::Float(
            text.trim()
                .parse()
                .map_err(|_| format!("`{text}` is not a number"))?,
        ),
        ParamType::Bool => toml::Value::Boolean(match text.trim() {
            "true" => true,
            "false" => false,
            _ => return Err(format!("`{text}` is not true or false")),
        }),
        _ => toml::Value::String(text.to_owned()),
    };
    // Say what was typed, not how it was read (`1e308`, not its digits).
    convert(spec, &value).map_err(|_| format!("expected {}, found `{text}`", spec.ty.describe()))
}

/// Checks a value against its parameter's type and converts it to what the
/// layout receives.
pub fn convert(spec: &ParamSpec, value: &toml::Value) -> Result<Json, String> {
    let expected = || format!("expected {}, found {}", spec.ty.describe(), show(value));
    match (&spec.ty, value) {
        (ParamType::Length(bounds), toml::Value::String(text)) => parse_length(text)
            .filter(|pt| bounds.contains(*pt))
            .map(Json::from)
            .ok_or_else(expected),
        (ParamType::Color, toml::Value::String(text)) => {
            parse_color(text).map(Json::from).ok_or_else(expected)
        }
        (ParamType::Font | ParamType::String, toml::Value::String(text)) => {
            Ok(Json::from(text.as_str()))
        }
        (ParamType::Number(bounds), toml::Value::Integer(n)) if bounds.contains(*n as f64) => {
            Ok(Json::from(*n as f64))
        }
        (ParamType::Number(bounds), toml::Value::Float(n)) if bounds.contains(*n) => {
            Ok(Json::from(*n))
        }
        (ParamType::Bool, toml::Value::Boolean(b)) => Ok(Json::from(*b)),
        (ParamType::Choice(values) | ParamType::Language(values), toml::Value::String(text))
            if values.contains(text) =>
        {
            Ok(Json::from(text.as_str()))
        }
        (ParamType::List, toml::Value::Array(items)) => items
            .iter()
            .map(|item| item.as_str().map(Json::from).ok_or_else(expected))
            .collect::<Result<Vec<_>, _>>()
            .map(Json::Array),
        _ => Err(expected()),
    }
}

fn show(value: &toml::Value) -> String {
    match value {
        toml::Value::String(text) => format!("`{text}`"),
        other => format!("`{other}`"),
    }
}

/// Parses `2cm`, `10.5pt`, `0.8in` or `18mm` into points.
pub fn parse_length(text: &str) -> Option<f64> {
    let text = text.trim();
    let split = text.find(|c: char| c.is_ascii_alphabetic())?;
    let (number, unit) = text.split_at(split);
    let number: f64 = number
        .trim()
        .parse()
        .ok()
        .filter(|n: &f64| n.is_finite() && *n >= 0.0)?;
    let scale = match unit {
        "pt" => 1.0,
        "mm" => 72.0 / 25.4,
        "cm" => 72.0 / 2.54,
        "in" => 72.0,
        _ => return None,
    };
    Some(number * scale)
}

/// Normalises `#rgb` or `#rrggbb` to `#rrggbb`.
pub fn parse_color(text: &str) -> Option<String> {
    let hex = text.trim().strip_prefix('#')?;
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    match hex.len() {
        6 => Some(format!("#{}", hex.to_ascii_lowercase())),
        3 => Some(format!(
            "#{}",
            hex.chars()
                .flat_map(|c| [c, c])
                .collect::<String>()
                .to_ascii_lowercase()
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "// demo: a test layout\n\
        // @param paper: choice(a4, us-letter) = \"a4\" -- paper size\n\
        // @param margin: length = \"2cm\" -- margins\n\
        // @param order: list = [] -- section order\n\
        #let x = 1\n";

    #[test]
    fn header_declares_description_and_typed_defaults() {
        let (description, params) = parse_header("demo.typ", HEADER, &[], &|_| None).unwrap();
        assert_eq!(description, "demo: a test layout");
        let names: Vec<_> = params.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["paper", "margin", "order"]);
        let values = defaults(&params);
        assert_eq!(values["paper"], "a4");
        assert!((values["margin"].as_f64().unwrap() - 56.69).abs() < 0.01);
    }

    #[test]
    fn settings_are_checked_against_the_declarations() {
        let (_, params) = parse_header("demo.typ", HEADER, &[], &|_| None).unwrap();
        let (spec, value) = set(&params, "paper", SetValue::Text("us-letter")).unwrap();
        assert_eq!(
            (spec.name.as_str(), value),
            ("paper", Json::from("us-letter"))
        );
        let (_, value) = set(&params, "order", SetValue::Text("work, skills")).unwrap();
        assert_eq!(value, serde_json::json!(["work", "skills"]));
        let Err(SetError::Bad { message }) = set(&params, "paper", SetValue::Text("a5")) else {
            panic!("a5 is no choice")
        };
        assert!(message.contains("one of: a4, us-letter"), "{message}");
        assert_eq!(
            set(&params, "papr", SetValue::Text("a4")).unwrap_err(),
            SetError::Unknown
        );
    }

    #[test]
    fn numbers_and_lengths_stay_in_their_declared_ranges() {
        let header = "// demo\n\
            // @param size: length(6pt..2cm) = \"10pt\" -- text size\n\
            // @param spacing: number(0.5..2) = 1 -- spacing\n\
            // @param free: number = 0 -- anything sensible\n";
        let (_, params) = parse_header("demo.typ", header, &[], &|_| None).unwrap();
        assert!(set(&params, "size", SetValue::Text("1.5cm")).is_ok());
        for (name, value) in [
            ("size", "0pt"),
            ("size", "20cm"),
            ("spacing", "1e308"),
            ("spacing", "0.1"),
            ("free", "1e6"),
        ] {
            let Err(SetError::Bad { message }) = set(&params, name, SetValue::Text(value)) else {
                panic!("{name} = {value} is out of range")
            };
            assert!(message.contains(" from "), "{message}");
        }
        assert!(
            parse_header(
                "x",
                "// x\n// @param s: number(2..1) = 1 -- s\n",
                &[],
                &|_| None
            )
            .is_err()
        );
        assert!(
            parse_header(
                "x",
                "// x\n// @param s: number(0..1) = 5 -- s\n",
                &[],
                &|_| None
            )
            .is_err()
        );
    }

    #[test]
    fn lengths_and_colours_normalise() {
        assert_eq!(parse_length("1in"), Some(72.0));
        assert_eq!(parse_length("10.5pt"), Some(10.5));
        assert_eq!(parse_length("2 furlongs"), None);
        assert_eq!(parse_length("-1cm"), None);
        assert_eq!(parse_color("#ABC").as_deref(), Some("#aabbcc"));
        assert_eq!(parse_color("blue"), None);
    }

    #[test]
    fn shared_declarations_are_included_once_and_checked() {
        let shared = |from: &str| {
            (from == "lib/cv.typ").then(|| {
                (
                    "lib/cv.typ".to_owned(),
                    "// shared\n// @param paper: choice(a4, us-letter) = \"a4\" -- paper\n"
                        .to_owned(),
                )
            })
        };
        let header = "// demo: a demo\n// @param margin: length = \"2cm\" -- margins\n// @params lib/cv.typ\n";
        let (description, params) = parse_header("demo.typ", header, &[], &shared).unwrap();
        assert_eq!(description, "demo: a demo");
        let names: Vec<&str> = params.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["margin", "paper"]);
        let twice = "// demo\n// @param paper: string = \"x\" -- p\n// @params lib/cv.typ\n";
        let err = parse_header("demo.typ", twice, &[], &shared)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("demo.typ:3") && err.contains("declared twice"),
            "{err}"
        );
        let missing = "// demo\n// @params lib/none.typ\n";
        let err = parse_header("demo.typ", missing, &[], &shared)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("demo.typ:2") && err.contains("lib/none.typ"),
            "{err}"
        );
    }
}

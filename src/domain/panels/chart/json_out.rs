//! The JSON writer for chart options: a serde `Serializer` into a `String` that
//! cannot fail, writing what `serde_json::to_string` writes.
//!
//! Why not serde_json: charming's series and components are structs of many
//! optional fields, and every field's serialisation is compiled even when we never
//! set it. Through serde_json each field site carries a `Result` check and an error
//! path, and each key goes through its map-entry machinery; here the error type is
//! uninhabited (`Never`), so every `?` compiles to nothing, and a field is one call
//! that writes its key plus the value's own call. Measured in the README (Figures):
//! it is most of the difference between charming costing about 14 KB brotli on the
//! first load and costing under 10 KB.
//!
//! Output reads back as what `serde_json::to_string` writes (compact; the same
//! string escapes; floats as floats, non-finite ones as `null`; only very large or
//! small floats differ in text: `1e21` is written out in full); `tests` checks it
//! on every chart.

use std::fmt::{self, Display, Write as _};

use serde::ser::{self, Serialize};

/// The option as JSON.
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> String {
    let mut w = JsonOut { out: String::with_capacity(1024), key: false };
    match value.serialize(&mut w) {
        Ok(()) => w.out,
    }
}

/// Serialising a chart option has no way to fail: nothing it holds needs
/// `Error::custom` (no paths, no non-string map keys).
#[derive(Debug)]
pub enum Never {}

impl Display for Never {
    fn fmt(&self, _: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {}
    }
}

impl std::error::Error for Never {}

impl ser::Error for Never {
    fn custom<T: Display>(_: T) -> Self {
        // Only reached by a value serde cannot write as JSON: a bug in this module.
        panic!("a chart option holds a value with no JSON form")
    }
}

struct JsonOut {
    out: String,
    /// Writing a map key: numbers and booleans are quoted, as serde_json does.
    key: bool,
}

type R = Result<(), Never>;

impl JsonOut {
    /// Every fixed piece of text goes through here: one call at each site instead
    /// of an inlined `push_str`.
    #[inline(never)]
    fn raw(&mut self, text: &str) {
        self.out.push_str(text);
    }

    /// A comma unless this is the first element of the array or object just opened
    /// (every finished JSON value ends in something other than `[` or `{`).
    #[inline(never)]
    fn comma(&mut self) {
        if !matches!(self.out.as_bytes().last(), Some(b'[' | b'{')) {
            self.out.push(',');
        }
    }

    /// `,"key":` (or without the comma first in an object). Not generic: one copy
    /// for every field of every struct.
    #[inline(never)]
    fn field_key(&mut self, key: &str) {
        self.comma();
        self.string(key);
        self.out.push(':');
    }

    #[inline(never)]
    fn string(&mut self, s: &str) {
        self.out.push('"');
        let mut start = 0;
        for (i, b) in s.bytes().enumerate() {
            let escape = match b {
                b'"' => "\\\"",
                b'\\' => "\\\\",
                b'\n' => "\\n",
                b'\r' => "\\r",
                b'\t' => "\\t",
                0x08 => "\\b",
                0x0c => "\\f",
                0..=0x1f => "",
                _ => continue,
            };
            self.out.push_str(&s[start..i]);
            if escape.is_empty() {
                let _ = write!(self.out, "\\u{b:04x}");
            } else {
                self.out.push_str(escape);
            }
            start = i + 1;
        }
        self.out.push_str(&s[start..]);
        self.out.push('"');
    }

    /// A number (or `true`/`false`), quoted when it is a map key.
    #[inline(never)]
    fn scalar(&mut self, text: &dyn Display) {
        if self.key {
            let _ = write!(self.out, "\"{text}\"");
        } else {
            let _ = write!(self.out, "{text}");
        }
    }

    /// The shortest text that reads back as the same float, from core's `Display`
    /// (already in the bundle for every `format!` of a float; a second float
    /// printer, serde_json's, would add its tables), with `.0` on whole numbers as
    /// serde_json writes them (`75.0`, so a float stays a float when read back).
    /// Non-finite as `null`, as serde_json does.
    #[inline(never)]
    fn float(&mut self, v: f64, single: bool) {
        if !v.is_finite() {
            return self.raw("null");
        }
        let quote = if self.key { "\"" } else { "" };
        let start = self.out.len() + quote.len();
        let _ = if single { write!(self.out, "{quote}{}", v as f32) } else { write!(self.out, "{quote}{v}") };
        if !self.out[start..].contains(['.', 'e']) {
            self.raw(".0");
        }
        self.raw(quote);
    }

    fn open(&mut self, open: &'static str, close: &'static str) -> Compound<'_> {
        self.raw(open);
        Compound { w: self, close }
    }

    /// `{"Variant":` before a variant's content (closed with `}` after it).
    fn open_variant(&mut self, variant: &str) {
        self.raw("{");
        self.field_key(variant);
    }
}

/// An open array or object, closed with `close` at its end.
#[doc(hidden)]
pub struct Compound<'a> {
    w: &'a mut JsonOut,
    close: &'static str,
}

impl Compound<'_> {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> R {
        self.w.comma();
        value.serialize(&mut *self.w)
    }

    fn end(self) -> R {
        self.w.raw(self.close);
        Ok(())
    }
}

impl<'a> ser::Serializer for &'a mut JsonOut {
    type Ok = ();
    type Error = Never;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Compound<'a>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Compound<'a>;

    fn serialize_bool(self, v: bool) -> R {
        self.scalar(&v);
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> R {
        self.serialize_i64(v.into())
    }
    fn serialize_i16(self, v: i16) -> R {
        self.serialize_i64(v.into())
    }
    fn serialize_i32(self, v: i32) -> R {
        self.serialize_i64(v.into())
    }
    fn serialize_i64(self, v: i64) -> R {
        self.scalar(&v);
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> R {
        self.serialize_u64(v.into())
    }
    fn serialize_u16(self, v: u16) -> R {
        self.serialize_u64(v.into())
    }
    fn serialize_u32(self, v: u32) -> R {
        self.serialize_u64(v.into())
    }
    fn serialize_u64(self, v: u64) -> R {
        self.scalar(&v);
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> R {
        // With f32 precision, as serde_json does (`0.1f32` is "0.1").
        self.float(v.into(), true);
        Ok(())
    }
    fn serialize_f64(self, v: f64) -> R {
        self.float(v, false);
        Ok(())
    }
    fn serialize_char(self, v: char) -> R {
        self.string(v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> R {
        self.string(v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> R {
        ser::Serializer::collect_seq(self, v)
    }
    fn serialize_none(self) -> R {
        self.raw("null");
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> R {
        value.serialize(self)
    }
    fn serialize_unit(self) -> R {
        self.serialize_none()
    }
    fn serialize_unit_struct(self, _: &'static str) -> R {
        self.serialize_none()
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> R {
        self.string(variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> R {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> R {
        self.open_variant(variant);
        value.serialize(&mut *self)?;
        self.raw("}");
        Ok(())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Compound<'a>, Never> {
        Ok(self.open("[", "]"))
    }
    fn serialize_tuple(self, _: usize) -> Result<Compound<'a>, Never> {
        Ok(self.open("[", "]"))
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Compound<'a>, Never> {
        Ok(self.open("[", "]"))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'a>, Never> {
        self.open_variant(variant);
        Ok(self.open("[", "]}"))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Compound<'a>, Never> {
        Ok(self.open("{", "}"))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Compound<'a>, Never> {
        Ok(self.open("{", "}"))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'a>, Never> {
        self.open_variant(variant);
        Ok(self.open("{", "}}"))
    }
}

impl ser::SerializeSeq for Compound<'_> {
    type Ok = ();
    type Error = Never;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> R {
        self.element(value)
    }
    fn end(self) -> R {
        Compound::end(self)
    }
}

impl ser::SerializeTuple for Compound<'_> {
    type Ok = ();
    type Error = Never;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> R {
        self.element(value)
    }
    fn end(self) -> R {
        Compound::end(self)
    }
}

impl ser::SerializeTupleStruct for Compound<'_> {
    type Ok = ();
    type Error = Never;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> R {
        self.element(value)
    }
    fn end(self) -> R {
        Compound::end(self)
    }
}

impl ser::SerializeTupleVariant for Compound<'_> {
    type Ok = ();
    type Error = Never;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> R {
        self.element(value)
    }
    fn end(self) -> R {
        Compound::end(self)
    }
}

/// Also the fields of a struct with a `#[serde(flatten)]` field in it.
impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = Never;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> R {
        self.w.comma();
        self.w.key = true;
        key.serialize(&mut *self.w)?;
        self.w.key = false;
        self.w.raw(":");
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> R {
        value.serialize(&mut *self.w)
    }
    fn end(self) -> R {
        Compound::end(self)
    }
}

impl ser::SerializeStruct for Compound<'_> {
    type Ok = ();
    type Error = Never;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> R {
        self.w.field_key(key);
        value.serialize(&mut *self.w)
    }
    fn end(self) -> R {
        Compound::end(self)
    }
}

impl ser::SerializeStructVariant for Compound<'_> {
    type Ok = ();
    type Error = Never;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> R {
        self.w.field_key(key);
        value.serialize(&mut *self.w)
    }
    fn end(self) -> R {
        Compound::end(self)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use charming::element::Trigger;
    use serde::Serialize;
    use serde_json::Value;

    use super::to_string;
    use crate::domain::panels::chart::{bars, frame, line, ChartStyle};

    const HOSTILE: &str = "a \"quoted\" \\ back\nslash\t\r\u{8}\u{c}\u{1}\u{1f}\u{7f} é 漢 🙂 </script>";

    /// A chart with every kind of value our options hold: hostile labels, counts
    /// with gaps, floats, a percent axis.
    fn option() -> super::super::ChartOption {
        let labels = vec![HOSTILE.to_string(), "b".into()];
        let mut o = frame::time_frame(&labels, &ChartStyle::default(), Some("%"));
        o.series = vec![
            bars(HOSTILE, &[Some(3), None]),
            bars("", &[Some(u64::from(u32::MAX)), Some(0)]),
            super::super::Series::Line(Box::new(line(
                "rate",
                [Some(75.0), None, Some(0.1), Some(-0.0), Some(123456.789)]
                    .iter()
                    .map(|v| charming::datatype::CompositeValue::from(*v))
                    .collect(),
                5,
            ))),
        ];
        o
    }

    #[test]
    fn writes_what_serde_json_writes() {
        let o = option();
        assert_eq!(to_string(&o), serde_json::to_string(&o).unwrap());
        let base = frame::base(&ChartStyle { animation: false, ..ChartStyle::default() }, Trigger::Item);
        assert_eq!(to_string(&base), serde_json::to_string(&base).unwrap());
    }

    #[test]
    fn strings_survive_escaping() {
        let back: Value = serde_json::from_str(&to_string(&option())).unwrap();
        assert_eq!(back["xAxis"]["data"][0], HOSTILE);
        assert_eq!(back["series"][0]["name"], HOSTILE);
    }

    #[test]
    fn floats_stay_floats_and_read_back() {
        for v in [0.0, -0.0, 1.0, 75.0, 0.1, 1.0 / 3.0, 1e21, 1.5e-7, 1e-30, 1e300, -2.5] {
            let text = to_string(&v);
            let back: Value = serde_json::from_str(&text).unwrap();
            assert!(back.is_f64(), "{v}: {text}");
            // Rust prints the shortest text that reads back as the same float;
            // serde_json's own parser rounds long texts slightly differently.
            let back = back.as_f64().unwrap();
            assert!(back == v || ((back - v) / v).abs() < 1e-15, "{v}: {text}");
        }
        assert_eq!(to_string(&[75.0, 0.1, -0.0, 123456.789]), "[75.0,0.1,-0.0,123456.789]");
        assert_eq!(to_string(&0.1f32), "0.1");
        assert_eq!(to_string(&[f64::NAN, f64::INFINITY]), "[null,null]");
    }

    #[derive(Serialize)]
    enum Shape {
        Unit,
        New(u8),
        Tuple(u8, bool),
        Struct { a: i8 },
    }

    #[test]
    fn the_rest_of_the_data_model_as_serde_json_writes_it() {
        let keys: BTreeMap<i32, bool> = [(-1, true), (2, false)].into();
        let bools: BTreeMap<bool, ()> = [(true, ())].into();
        let shapes = [Shape::Unit, Shape::New(7), Shape::Tuple(1, true), Shape::Struct { a: -3 }];
        let value = (keys, bools, shapes, 'q', Some(()), None::<u8>, (), [[0u8; 0]; 2], "");
        assert_eq!(to_string(&value), serde_json::to_string(&value).unwrap());
    }
}

package replay

import (
	"reflect"
)

// addAll adds every counter of src to dst, two values of one struct type,
// field by field: int64 fields add; Durations and Scores merge; maps of
// counts add key by key; nested structs of counters add the same way.
// Other fields (a transition's ends, whether it is designed) are identity,
// not counters, and are left as dst has them. It is how the stats types
// merge themselves: a counter added to one of them needs no other edit.
func addAll(dst, src any) {
	addValue(reflect.ValueOf(dst).Elem(), reflect.ValueOf(src).Elem())
}

var (
	durationsType = reflect.TypeFor[Durations]()
	scoresType    = reflect.TypeFor[Scores]()
)

func addValue(d, s reflect.Value) {
	switch {
	case d.Type() == durationsType:
		d.Addr().Interface().(*Durations).Merge(s.Addr().Interface().(*Durations))
		return
	case d.Type() == scoresType:
		d.Addr().Interface().(*Scores).merge(s.Addr().Interface().(*Scores))
		return
	}
	switch d.Kind() {
	case reflect.Int64:
		d.SetInt(d.Int() + s.Int())
	case reflect.Struct:
		for i := range d.NumField() {
			if d.Type().Field(i).IsExported() {
				addValue(d.Field(i), s.Field(i))
			}
		}
	case reflect.Map:
		if s.Len() == 0 || d.Type().Elem().Kind() != reflect.Int64 {
			return
		}
		if d.IsNil() {
			d.Set(reflect.MakeMapWithSize(d.Type(), s.Len()))
		}
		it := s.MapRange()
		for it.Next() {
			cur := d.MapIndex(it.Key())
			var n int64
			if cur.IsValid() {
				n = cur.Int()
			}
			d.SetMapIndex(it.Key(), reflect.ValueOf(n+it.Value().Int()).Convert(d.Type().Elem()))
		}
	}
}

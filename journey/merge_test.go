package journey

import (
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// Every counter of the stats types merges: set each int64 field (and a
// duration, a score, a map entry) to one in two values, merge, and each
// is two. A counter of a type addAll does not add would fail here.
func TestStatsMergeEveryCounter(t *testing.T) {
	for _, v := range []any{&TouchpointStats{}, &StageStats{}, &TransitionStats{}, &Counts{}} {
		a, b := reflect.New(reflect.TypeOf(v).Elem()), reflect.New(reflect.TypeOf(v).Elem())
		fill(a.Elem())
		fill(b.Elem())
		addAll(a.Interface(), b.Interface())
		check(t, a.Elem(), reflect.TypeOf(v).Elem().Name())
	}
}

func fill(v reflect.Value) {
	for i := range v.NumField() {
		f := v.Field(i)
		switch {
		case !v.Type().Field(i).IsExported():
		case f.Type() == durationsType:
			f.Addr().Interface().(*Durations).Add(time.Second)
		case f.Type() == scoresType:
			f.Addr().Interface().(*Scores).add(5, 7, 10)
		case f.Kind() == reflect.Int64:
			f.SetInt(1)
		case f.Kind() == reflect.Map:
			f.Set(reflect.MakeMap(f.Type()))
			f.SetMapIndex(reflect.Zero(f.Type().Key()), reflect.ValueOf(int64(1)))
		}
	}
}

func check(t *testing.T, v reflect.Value, typ string) {
	for i := range v.NumField() {
		f, name := v.Field(i), v.Type().Field(i).Name
		switch {
		case !v.Type().Field(i).IsExported():
		case f.Type() == durationsType:
			assert.Equal(t, int64(2), f.Addr().Interface().(*Durations).Count(), "%s.%s", typ, name)
		case f.Type() == scoresType:
			s := f.Addr().Interface().(*Scores)
			assert.Equal(t, int64(2), s.CSAT[4]+s.CES[6]+s.NPS[10]-4, "%s.%s", typ, name)
		case f.Kind() == reflect.Int64:
			assert.Equal(t, int64(2), f.Int(), "%s.%s", typ, name)
		case f.Kind() == reflect.Map:
			assert.Equal(t, int64(2), f.MapIndex(reflect.Zero(f.Type().Key())).Int(), "%s.%s", typ, name)
		case f.Kind() == reflect.Int32, f.Kind() == reflect.Bool:
			// identity: a transition's ends, whether it is designed
		default:
			t.Errorf("%s.%s is a %s: make it a counter addAll merges, or identity", typ, name, f.Type())
		}
	}
}

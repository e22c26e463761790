package ui

import (
	"fmt"
	"reflect"
	"strings"
	"unsafe"

	"fyne.io/fyne/v2"
)

// objectNames names every widget a screen keeps as a field, by the
// screen's type and the field ("complaintScreen.code",
// "registerScreen.fields.nationalID", "selfScreen.keyboard.key(ş)"), so
// that a finding names what a screen author knows. The names come from the
// structs themselves: a field added to a screen is named without a change
// here.
func objectNames(k *Kiosk) map[fyne.CanvasObject]string {
	names := map[fyne.CanvasObject]string{}
	seen := map[uintptr]bool{}
	nameStruct(reflect.ValueOf(k.shell), "shell", names, seen)
	for _, v := range k.views {
		rv := reflect.ValueOf(v)
		nameStruct(rv, rv.Elem().Type().Name(), names, seen)
	}
	return names
}

var (
	canvasObjectType = reflect.TypeOf((*fyne.CanvasObject)(nil)).Elem()
	uiPackage        = reflect.TypeOf(Kiosk{}).PkgPath()
)

// nameStruct names the canvas objects among the fields of the struct that
// v (a pointer or a struct value) holds, and goes into the fields that are
// this package's own structs.
func nameStruct(v reflect.Value, prefix string, names map[fyne.CanvasObject]string, seen map[uintptr]bool) {
	if v.Kind() == reflect.Pointer {
		if v.IsNil() || seen[v.Pointer()] {
			return
		}
		seen[v.Pointer()] = true
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct || !v.CanAddr() {
		return
	}
	for i := 0; i < v.NumField(); i++ {
		f := v.Type().Field(i)
		if f.Anonymous || f.Type == reflect.TypeOf((*Kiosk)(nil)) {
			continue
		}
		fv := reflect.NewAt(f.Type, unsafe.Pointer(v.Field(i).UnsafeAddr())).Elem()
		nameValue(fv, prefix+"."+f.Name, names, seen)
	}
}

func nameValue(fv reflect.Value, name string, names map[fyne.CanvasObject]string, seen map[uintptr]bool) {
	switch {
	case fv.Type().Implements(canvasObjectType) && fv.Kind() != reflect.Interface || fv.Kind() == reflect.Interface && fv.Type() == canvasObjectType:
		if fv.IsNil() {
			return
		}
		o := fv.Interface().(fyne.CanvasObject)
		if ky, ok := o.(*key); ok {
			if i := strings.LastIndex(name, "["); i > 0 {
				name = fmt.Sprintf("%s(%s)", strings.TrimSuffix(name[:i], "s"), ky.label)
			}
		}
		if _, ok := names[o]; !ok {
			names[o] = name
		}
		if fv.Kind() == reflect.Pointer && fv.Type().Elem().PkgPath() == uiPackage {
			nameStruct(fv, name, names, seen)
		}
	case fv.Kind() == reflect.Slice && fv.Type().Elem().Implements(canvasObjectType):
		for j := 0; j < fv.Len(); j++ {
			nameValue(fv.Index(j), fmt.Sprintf("%s[%d]", name, j), names, seen)
		}
	case fv.Kind() == reflect.Map && fv.Type().Elem() == canvasObjectType:
		for _, mk := range fv.MapKeys() {
			nameValue(fv.MapIndex(mk), fmt.Sprintf("%s[%v]", name, mk), names, seen)
		}
	case fv.Kind() == reflect.Struct && fv.Type().PkgPath() == uiPackage:
		nameStruct(fv, name, names, seen)
	case fv.Kind() == reflect.Pointer && !fv.IsNil() && fv.Type().Elem().Kind() == reflect.Struct && fv.Type().Elem().PkgPath() == uiPackage:
		nameStruct(fv, name, names, seen)
	}
}

package schema

import (
	"bytes"
	"encoding/json"
)

// Object is a JSON object that keeps its members in insertion order, so that the schema reads in the
// order a person expects (description first, keys in canonical order) rather than alphabetically.
type Object []Member

// Member is one name and value of an Object.
type Member struct {
	Name  string
	Value any
}

// Set returns o with name set to v, replacing an earlier value in place.
func (o Object) Set(name string, v any) Object {
	for i := range o {
		if o[i].Name == name {
			o[i].Value = v
			return o
		}
	}
	return append(o, Member{name, v})
}

// Merge returns o with every member of p set.
func (o Object) Merge(p Object) Object {
	for _, m := range p {
		o = o.Set(m.Name, m.Value)
	}
	return o
}

// MarshalJSON writes the members in order.
func (o Object) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		name, err := json.Marshal(m.Name)
		if err != nil {
			return nil, err
		}
		b.Write(name)
		b.WriteByte(':')
		val, err := marshal(m.Value)
		if err != nil {
			return nil, err
		}
		b.Write(val)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// marshal encodes v without escaping <, > and &, which the schema's descriptions use.
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

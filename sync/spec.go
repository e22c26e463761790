package sync

import _ "embed"

// OpenAPI is the project's OpenAPI 3.1 copy of the central API contract;
// the tests hold both the client and the reference server to it.
//
//go:embed openapi.yaml
var OpenAPI []byte

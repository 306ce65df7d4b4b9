module github.com/journeymap/journeymap

go 1.26.8

require (
	github.com/dominikbraun/graph v0.23.0
	gopkg.in/yaml.v3 v3.0.1
)

require (
	github.com/stretchr/testify v1.12.1
	go.yaml.in/yaml/v3 v3.0.5 // indirect
)

module fake_nodejs_module // Exclude this directory from the Go module at sdk/

go 1.17

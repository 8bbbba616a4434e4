//! `search serve`: the HTTP API, through real HTTP on a loopback port.

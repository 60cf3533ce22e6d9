/// Fixed RSA keys for the tests, generated once with `openssl genpkey` for this purpose only
/// (they sign nothing outside the tests). Generating keys at test time blocked a cooperative
/// thread for up to a second in debug builds, long enough to starve the deadline tests that run
/// beside them.
enum TestKeys {
    static let primaryPEM = """
        -----BEGIN PRIVATE KEY-----
        MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCiz9OwSJJkqr96
        crQCiwyP+Mp+uC97TJwJKcMJfrqVEnO2y/8KYno+9M15WiuvWP2HQZs+v2sQJMkP
        Hjkyt9cPbPKZ/JxJggG+4DX3zXMzAfKf1MLxTBQD6iZY4DqWwsastbwX+GS9f115
        luEh2ttfC2LjdC2H0jqZPDaxsnBtdjgW/2kNHhshZc8oerbKCczOMWnxVmQmlKtp
        4/UQcPhYA33OiDTA/i4vT5/CaToiqmOo6mviULz1HNgFY7izMMHH1pa/ezC2QFHm
        0jDWhfUBFKI1JHKaASXb49OVESxyvs+e07xQIkgDmt2Ymy58zFDKJt8Cs4rZ5o8r
        SbPslrS7AgMBAAECggEAIY128MNj9/8ASvnMgyGoyxrYkFjg4CYfmfvTR+eoCASv
        eCJ+QuOckdDdb37XteE/DlrE5Z+JLuCF1unBm+QrG/C15moaw0NZnL6UIKdkcESc
        fbfZHOUy0sO0d2huapdlXj5trvrvt+XBm8cuSk3SG7o6/Oj6YR1AGkhAdUpyxPvd
        s6H2QOfnY2IeqcpqIZz8S7C5tegfjlDGlerAM9uDeFe6ItBW83w1+rQuoD85qd7x
        Hsa374pCpwppSC0Co/tLcuE+N9fXr3s632GY9tH0rzNud6xVxhatUA9zTCBTRAkZ
        eG3GMvpjn735vZzrGCl/fJQxgBgH7hl8yBa85wWoEQKBgQDYpYZ+YUCnsetYijOk
        oLZzIL96ROKvuafIyOeNYMAMTa66MYlNpi+/1g0JN2ks6IoaT/a7PdVjen1nExS4
        oLHb3vx20G7ZfN/fFvrZSCx5zf6DfRZjmynKgjcasRDSwROAmoycCnDx+kp4fE2j
        0vtPuHfiVjbDPR0QbqiyqB7EhwKBgQDAYuI68kJb+7afygrMB3Oc1u+nceK2dtnp
        5O59ePStpQ2jOoltTmDr//suGGdkvQPClgbIXmJdIar/UmcOnEviHYhVhEHW4HZt
        1Y55ZqQr6OVpwgw2JcPru2PMHlnAYgPpWn9VVKfY7xarU3K3kKvl2VGdjfEL4lx9
        YVCoJdPPLQKBgQCFUcdkOmDZUansgI+rPaNJUdvDWGTPksZnzwp/fAxzBdMCjb1a
        5Wv497Zp94lns2pZKuBA9Zo9b4GATsOvomQRVDW0wCuW9zulQ7T2xW1pP5TiQbXn
        cfLTxjI24MPjjiF8QJ9K3zoGDuqJHqWArTMuKezMghWNLCyYkiCKYN8ePQKBgFXn
        EVr+t1C5KUdaAM4veZkLhAEBYhjVIuJEPZU7AA3VCCzdQ2XSPIbESxS/AtPBbj9h
        m++17Tfmg6Lz2V51vZBeXXTJ1Fgs69SJKc/dW+rbWCyL38YBwOSuTJZk6vBzE4oL
        xZWFclj0EOw5G50JdSfxjHbMXVhQH7pATLJ4CYaVAoGAcYPysKvSnNp+V9lRrbNE
        rkqbjheqJz/E876xLYc8pO5n2q99Y9yWcBg1E3s3T/oqVO5NqASR6GHEyuKlO5WW
        1whu+dkzqPQNs6ZBplWE0+CNN2RlubOtbquaQZDjMC5a8rKCUb1xHExGuuZbdT9P
        u82B69O5KP2wCr6wxIEhLfI=
        -----END PRIVATE KEY-----
        """

    static let otherPEM = """
        -----BEGIN PRIVATE KEY-----
        MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQDIa/hVstjm7VyK
        JDRXjBszFnaMNQiPdbT15qZYo0Kq6NeN9RsSVHpGjuKCuTUEJ9BRzyhgh3R0Acub
        p/tZM+OElKTLjHNgX5fBFpqMi+W4lUGbswuujNkp34iLTXXBa1/geqWR3VnE9FQw
        etcFcKVrbM+RUi0rWglkiYNGr0IjFU3d/j6KCQWSsOyiqW50hhUrTw/+1ekRBgfb
        biHEEn3tESVG9zqjw9lhQyO3K+zoPO4Y/nGnpOD13ikaYdJiHQdQlN/v4gUPwC1S
        6gVkkFFSQCqy2v+Dy3GiVrt+nOpP3fpME+QpKNsvRaKV/7KdeUgp7z0SjC5LoTzi
        /gYBPcrbAgMBAAECggEABc0iRhDEOIL8X79GiJY0n1jyG4LZeZWVpFyFyiEHp/zP
        aHuEyhYJ6ArwwYns3+7rF8MgTxL8qvL2Ws4U93MKDedjkcTB/jMmKF+oH5NZFeu0
        F3aqSuYmzxB6WlXmp6+c+dly+3Lly06rNTAJE048a4ydwX4Ycp3Lkc5tL1mZV3yU
        O3oGORDW1uJ6KsVzQLkZZsQy4PHSzUCKQ241gJyfeARbRoRQbllBu69+UwCYhfpP
        UUH2aVIYE1zSjbJqI+TAo2YIkxfvVsE7PaUBiO+Iyximj2vmWcz7SOfk0nu/m41I
        sT6vJZlVgkUwC4n/uNtkGviiqHXJLh1/PN+eQxQkcQKBgQDzrpd03LXHtBi4lxkR
        sQ5IGCCB0JfNlcM88hsLk3nMhiqM7L82hVqzgsOnd1Ss8oSVw5fOfF76sHpfkL9l
        DVujuq+RO2CoVv3mok3HatkdPwfkgBqm2ulbStYfGOmOVUDJ1RF8NeHkBLyRBhK6
        GbweWrD2EK3X6XIgOxK5bfqFswKBgQDSjY/aZhAvMn2cdn7zWCKhgRXFwrpLpf5w
        OqK3WB6v91IcWbwBD3kyKEj22hlwduPCU+DyWK7WSQwUxQRJqadFmzP8o27Q0g1x
        nuYJFTxvgL0/CUJ4AizWhpNn2dDEHqkILa5Hhiw7GXAPcJyBX46cVUiVZnsyoplF
        F0WygNriOQKBgGnwoZAA1Fa6CXVW22NBon/dXWSSlyydy3+XkgJ6Xx13xs/1rTu6
        xi/8zarkyj9WQCYMHtd6YqCCUPFzMIJySEDqTKHLOr5083VtYnssDLAWUwwYVX3s
        9j7mTii+3+stTTlyFGP32PkUxhYWmdWmko5vxzdzEOEpcKBqjj1nft7ZAoGAROGK
        7if1o3shHM6nOXTb33obZVcPGzByzMRh9xkc8PQ4KI4ysyYcwAvt0tQG/oPmfuxx
        6taYXAIJscHCZVbbIipkF4Jf/nC5dTJGjzIjU1cKklS1Kg2MHaJpFtBrO73MDqDj
        IwMB9VOdFXABw1E/lmVQGZAtPaN0AOZcJsmA0gECgYByZrCDYGr5nAUdZxNMNspC
        Fv4H3bYDYz3osdJuvirFUiGKtIbqKsYMdz0FirQLjZIrwrTQ6Qa1CFJh8wRFDEEf
        GE4nnFKaUPrYw++N2qkEREdSMv+hAyp7hFHDQ4gek4yUlMRiT2mZkCYDn5/WX2tQ
        7BXOOdC91fRpxsLwgDgGTA==
        -----END PRIVATE KEY-----
        """

    /// 1024 bits: a key the verifier must refuse as too small.
    static let smallPEM = """
        -----BEGIN PRIVATE KEY-----
        MIICdwIBADANBgkqhkiG9w0BAQEFAASCAmEwggJdAgEAAoGBAMo0/Jp5HjZJm+Pm
        +0yj4KC2e5jktrCqtb0OO/qZTkMX8HzNveNtpp4RPt+hbmTRVBwtHnACvi4HlFEd
        fQj5GUKtl/t/hKpMO+UuSAJ037z+l6F4KAK5HGqdPIs7CMF1J/pdV1dHcoXiyOzG
        zeEXKw+ywmU8O4DZrpke8yqCza63AgMBAAECgYEAxcOW/vnQa6YIephxVZ691lFD
        huDCMP11LAdc8Ba6bXJfeaC7xFB88gHJ7Wx0jNQSoFAcgc6c9GXjUIY3wOvoIAnm
        hv6TzWp8d2uQys4BftPNHDpVdVV0uS3WEjEBWPonjv0fxk1JYzUuJ/ZzvW3JyIBy
        iozGYKZf9QxWkqzB5LkCQQDwzt3NZ0O3O7327w+CtIM8AR3cJaYzzD7GN9QUz4eI
        s40jMwIaexrXr+4NnQkb8V2omjjvJS4k6OTbF0vT4fxjAkEA1vazB20l2uAKz6XU
        vI+XFeHHqBBv+cGnGElX4qjnssGPqgiFaxTiLTBCWbh+m1BbIGEK+XAyeNQmCRPV
        PohinQJARX1sxDlocRfsWbXi4/Tzaf1ogH7c11W5R7oUmWzJz8kAkYfGs52SwWsj
        ZwpJ9qZQQLdAdsJj7oLGh/LRDvPHwQJBAM0kq5+nsxuY+dhGSqoUYjwYtuAVp7by
        7xLHU57UUCGQhRjgfuq9CEfVqUxUPEbePci9s6puP0x+MToyeivuHiUCQHB+XyIv
        RRu/LQHy1cDTVz3CacZgxTDrWz4L84ERZM4rrkmRH7LkOPoqAglbpiriNoUIegAh
        Qbd8GNnTMYgQ3QQ=
        -----END PRIVATE KEY-----
        """
}

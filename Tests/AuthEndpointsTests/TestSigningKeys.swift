/// The emulator's signing keys in these tests: two fixed RSA-2048 keys (access, ID), generated
/// once with `openssl genpkey` for the tests only, so no test generates keys (slow in debug
/// builds, and it starved the timing tests running beside them).
enum TestSigningKeys {
    static let pem = """
        -----BEGIN PRIVATE KEY-----
        MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC1Fjtns6krgk5p
        X4RBgVHWDxUJI661qL/eLfQGsQsMOhf+2CfbhMGTjZL8sUkqRicjZL7G84B9qI4T
        nQNGzK+qwZQCfUl2QN7YBfwklpHZDHFwXf/5o6ZYeavJUH/0qL3ndAQVZjsT5lhA
        +DjXhOodTvwN5t9CN9TH12b4QKaU+ZQ9yWoQgUIwt4KoQ98bL71hb8FCL/MbbbA7
        oEaqu5L9YjT1eQPZg7cNsYG/4jlRR8qQalPZvm0rNBwq1CVx3jHqkI66XhrYnYoR
        u61f+T1iOEVZMAg9HBBu9lClHD+APdbhhSNbB/xdycf045yi4TG1EN9usbsgSgFc
        qUngYjeLAgMBAAECggEACU9UoTGSEkk8vBt2XTfHe/iCiFnBSFhIpPo6gC2R99Wf
        bjFcEI50CqCjXJfGFIT5diReeolXox41+mQpdaEIVwBkxPapVDRkQI7uNk4CFDqY
        38IKwEwy59GO4hFgGAqk2MVqKv96ghIRmiV+JqEQDY8F/mD5kW9Kt+DRy77nJuQn
        if5o+QMCg7DMghC3HKmhOUBec503hc2/8pk5h3hBp820Zpx/bviKnx4ME5VHhLXR
        WP9fdyubkf6gh/pV4vEC620qk+nFno5CJmM+Hjwr/7VCs6ymyg7dHgmCXJIee6tY
        t952sO+/g/duLEVyX58JFdtNx0vU8qwcFVdzY4+R4QKBgQD6lQPR00/4/P16rZJy
        x4aIBwardQ1zPAZpdi9LkFfoSB8SQvODBt9eOMPpLB6LQoO1+pSUMEU8A0M/nRl8
        XpoFYCBehL4mtsJhSPjLeMS5kdD9s0kzq6eZS4gMK7FfdPTzQkmr6FwEKhm88zTZ
        YLVDNQW+IMn84sQQJ7ZveWrbPwKBgQC5AI6qAvFl3nqzK9Wz2GqpIScoV3FHnvo9
        UsZ5LRi3XeJFhcb+e4VT5MhGfzKTqxSqM+swupAuzjgxDCTJ5xRRSBOLM5J2/pxl
        uKYsp+rl/RW/hfAqeOok6S7R1zCyOCAifcMfj1vNXwZ/OiOR8VLhdxlXNED5njCi
        yX+c4iHMtQKBgAJ7QUttpUgY8UWqvF2Inktwjl9aTGTMvl+C/RrpdgVl2XDr2s98
        XO/o7f+8IR1N7lH6BkilZbofaiYSHzN9GFdfSVLGS7/EZY5jE5uoOYKA8CnjAaGS
        XJmHBvTf5eTFGrvh9yrNpUOhSxn06pwQehsNRl5IotdvQ3PJgOP/ttAvAoGAAiu4
        gNQyAvD+XZXZFxgmAEAMVpPYF3ANHaUYARn/XT9zxT8Rm7DVWqunkfQyIrtyLaEY
        VGUMBhCTZjfvQpM8kMuYtxxuzoikSylEgeeigPpcQ/gNXmI21SILU5kD0EOKVP1G
        ydsDx8AismF7Q14ii9S67mQFkyhBB9f3cF7S6LUCgYEAiA8OfYP5StSQXJ6N9GWO
        TqgfsQSMLRVI7rWEcfICvvzqf/VKh5sdFDaaA2Qv+AzHf8hkejbnzrSkHnA2Pg7V
        IxOEbgi3WTIW5m3atOeBePe8oDsPm+yxRFzYCDoxe9ddAwsV3VecVaVCCDQSg1Jp
        pLJ/rNhZZU9YunD5zWXo9KA=
        -----END PRIVATE KEY-----
        -----BEGIN PRIVATE KEY-----
        MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC20wkvgYzs/jsj
        evxi+Cw2xxnVIQ9zqQxH+d55RnJIe9T0JcbNz6cNK34A833Ot8PVwS2hGziqpM8r
        vOBU0jqLLqpRUqjFF/aGCdW0SKMHQzmklK5ylprC7viL1vCkAa3IJuK18w1Ak4d9
        z0wDabvo/v2Q7lX9GNbMmLSxWDE8HbKTSTCGA2bDoFpf+k3XMOndvJdBlXZZ9szd
        1VVxFdRTqAcSe/UrjnGqneBnfOHa7FSffjW6IzdpXqOK77XFFl16nqZEVTBJTl/T
        aWHJqEleHfUCfLfreMoP2+GPLMjGjnNclblzwkxSQi30A8X+7OlltPsJO0cICjI8
        RT4ar3hlAgMBAAECggEADe0jvnwnqtKE2Q41v9ONXqYqSBYKx3HW7yalSpH8rkZ3
        MW/X5cvjEDmXZrrQLa50MEn/pU2IXVX3jVUyYL5bhPL1jgNLZX65THre+KrYdvr+
        dD8lI10TMIp5NqxqoTua1sEWNOuXlKsy6iOfyS9v3RmLYX5eNiItvouv+/BZXm2i
        92Ce8naAcU9FXCr9A0AthTK5ITnND7a7J6ohykqsGbHXEj09wm3C3UPCjgJ5IWEf
        gY9QV1LKWjYhy9sC46VMd86cWYiSaRy8C2V1MKp2soRkwGKXuLIa2zFUatpJvXok
        T+SkErLp9rAE3uzpj3PYm6V3GoDQJ90rp2w1sw09cQKBgQDp+7JLWDhOkP/k0CxH
        RldjFhnNfhb3JFF7HMvNn3gpPQCPR/pXgGnezgE4c9F4vSg19uvyJ2svojTd5xSn
        ceW2LynyDMyOFXcvRiSUzjCWfgl2x2uPQXe4BoE03sPK31yXNxT20SKCB3Sk6p+q
        R/9fIBinN7n4HxforMTGS3lXDQKBgQDIBwADBz3fkXwGPmnf2p+xqkPyB6Y1FUOr
        1VRcAyEFF6GtPPlAw/YkMo0pXGziV435PXbpNcrKO6FSvRHhEhAcO/CFVtyKJrAz
        NAG0WlQMf0rT8ti+uKDDaJSvH8WdzqeVs94+/4/ZzJ60bmYXggl57CPJ6PqLPaCz
        DEhNHRnQuQKBgAObH2pN18BON8Nc+fG3Qc2DH66tDMmOQ7sz/GgU1xM7n3CV2WPT
        1M3cOuSV1FqZ/66lOYmn1d0MEOiCkSzrcnDWVT0nuVdPOWD/Ib0xWEpZcufjtuKk
        TaYGY6Ne84GC47ho3ufW3UNHviJ0gzVqmqLqqbaaA0GxqPqq/vVXYG1ZAoGAPlYw
        IsF2/t2QEUISLLktW2j8k8jee1yNIlfxWlt/Rt7+e8asxwpLAyzd4S30oPU4QZxu
        Gm+xKyU6OVbC46mFa8ciReuz/znfX5Wtkk80MlDZOQRNl+Jh94P4EjuMkol8oKLV
        eDycz/t82i4tktXrrhtxa9M3gX1LP4FsZtvS18ECgYEAsQXKVHdxvBnFYK7V42Pj
        bqbiVvHIyCXPazdpJ2JmTNUvhpJaCTD+Mhu1gvUtBtkFDYnttg8fFJ3bRkhB5Ksf
        DF3gzav9/jMhk0rckLg0S/LcNnBv4dn6EQZXteT5oPM8h3LXI9A64EcikUUIG+cL
        /pimReCbRTOORIlRmx9rPZE=
        -----END PRIVATE KEY-----
        """
}

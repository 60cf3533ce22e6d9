/// The emulator's signing keys in most tests: two fixed RSA-2048 keys (access, ID), generated
/// once with `openssl genpkey` for the tests only. Generating them at test time blocked a
/// cooperative thread for up to a second in debug builds and starved timing tests beside them;
/// the tests of key generation itself still generate.
enum TestSigningKeys {
    static let pem = """
        -----BEGIN PRIVATE KEY-----
        MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQDaRP/LUCCalafC
        nb9HcRBFi/4UuTqzw3aL+gjjK0ttLPDVY5uBxb3AwUw2D5A7q0ANdSdo5RnX4oR3
        w5iMf3dWa0oA+4Coun6J6i0gTmXdLvUPEO+GXast7165g2F0NjhDyZGMPs9uXE7D
        l20LPqsk3FimEBNj2rxSUtkNGfdyxAXLNJryQ+JP0fQumUA/uppcquVxtHg2VbWz
        xLfgBsmxLuJEeiEjjogo7nf7ZuTUVXZTIX/rz0nG2aWrgRd1adOIYAic31udpLdI
        bLlRJlH8L+8vu/qou98Pgjl0LUpdQBprt9qht0eZT9l/SWoc/JVE3Frh07XmHO+C
        IaN2pSg3AgMBAAECggEACb+RKRRwEFdkwbVn6JntHx4MgAJx07uEHOZS5Up2uO6L
        5wvm0xnwyp4XeEajq3aPispTs0SgLdspDWxH8OZ0fwCVsouJCIAjzKcP0uSNeh5x
        xXV9LSQb1BZfxatPe/A7/RMQlBHuE8C9p9CohxsKa8AHmYsYQppvVMHsfcBOI+r2
        KyEa50B2wl8JoGFF/+uQTd5+jp2EW6qrn6bwMLtqv54m6qu6Dku/Zh/bT8VRJQiu
        pWP09X4fdvINNDjQTa9zUW9vFEVci01ae7p19GO2kOcmaVoosuqdogh2HDkQGpFj
        ujuBpNn18FqiaSvJQZ6cL6+9oIvlh/laVXwIFh33EQKBgQD7weRanX1pGP0vdl6q
        ka0qbt8laC70ULwY9ST5mGGljhO9gh3+6TyfVfeOCcs1R/IY+iBGTsebSmdu6fM/
        9uFPHtqc5jlpOMBjhpfDgAb1dtEH/h5U5vE2Nc9ISr/CTCFiiXhDJLsX/jZXwHHp
        1VGyFhgdbxTm3uNiGXycPyrACQKBgQDd8qMTFRI22GPxdqQ0fj/Lo2I79ex1tkfl
        1ZPGWuvEoEWwzPlTd3kIDx2fBZT1ZkUhhIIGfxxp6Qc8PgKk/DywEMT111H/+uW+
        zY5+cefqJ6MCFopQY049vZ2WwRIxbLyPgnUhCLIf1dLbwqxB+Mn0CW1Gm0gd16fm
        5WuafS42PwKBgQC2yrDimjbUeDBcpbVWYy84AAhFQL/W5EeuV0/haaJ8cgwjLLZa
        vz4k8mYr2zCQHwzI1dNZORn0xrES9wqHBtnQeLaB9Sb6HxqRKMhISkzDLOHYy8l6
        G7RHiApYku1oRZ53zRhkp+awJQOP80rCXQBULXaU6HJkrrCqKZcwWyzPAQKBgQC0
        E2pWUDFQCG/GeOEvqgMuwOgyCA0LUJKzGn9kX16NURBaK2RbYUL00/bPkCLUnF6Y
        nD828CjokWYKbbGNlQ3UODbl1Aa27yU6kuL7GoX0yKYMSqd8I6ZWl6Llrs6JBVVU
        Bp/r5ndHNyB2p1NFz4pjksZzlAeGFvQmdZvBY7F71wKBgEwaLH9d4omLKmaJtVtD
        rTrU3fZA6LRZHsrxNtPr7laQ/YpjM2XBPLXVbJWqjrg/NK25KLF9W1VVxCelTw3M
        DLwYCs+UjsKxM6elUrkA0hdb+lzteDJknnOV8oskVNY7o4XfZoZ6mw8804mUUYwr
        JGX8O7DF2VsOvt1MMk+jyq1q
        -----END PRIVATE KEY-----
        -----BEGIN PRIVATE KEY-----
        MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQDco1XzszC0yfDN
        Qx/kRrjUe2lMV9gHYv9FWShja2UDJNTr7U5z5nDOrtuJCsFWt0yJjBsHiIdEuu22
        kQZ/RxcwRNMmoxqL6XxtjjYuG7BSR1PInGpSk5E3lkRGSs3sZxIk9Dzujonl75vV
        fmpOX7xqkoFLCNkbAvJKT1icurFtTaY94Km1r/ezEUppnHd6L76FsgYl4/q5yV8n
        eKw6LKj92dW557vD8mpTelFXuPInF/+QAzeJOUS3WBSXVOpmht1Nacp9QPOPsAuj
        yz33hVIlJAcLCAHblsPu5QoC9HcMoZnVzqU9zfHWtFI7G/cc8RRHGWAiJIoxzloD
        zorMJvVhAgMBAAECggEAI4mEWdL6DJh9GlaOL7KraP/yqxr3/uKVWppcbLz6wVmg
        mNp5WSYb89JKpmVO1DSEVaA1J064eNvB13a+7OeqprnjJ5U8PJ5QDgZKmD0Z9nqq
        FkUJRAEkMeeYWhkI12OXks+q88KOF/SyrR2mKjb1zlWIESmc7GKaW1kx3NaeJsw/
        DoJs9gvReb6ORM+c4zGTZw0QMP51rclHizLZE0Kix98/eMvV7vBA7r4/3iwRzN0T
        wcydGtCLcorbLsvUJ+ISR/h0n4HDFF2Pd2/9fpD3LJDrwgAz71mRyAF7kL2k77Om
        ZfvoQE1NaggtCzD6qwSdyxmluYwq4EtzRRI0s+QaNQKBgQD5DDcGXDPRoHi529P1
        9+mkGCgXHrDN3K6KT+fQIcwdxh0Cpreg8xp2gkjNAdVmMACZWPuW6bJnf4wTyFiA
        HwgcnapSQvVFhQx5kZGW8qy1KerTX65AZsU051BmhbbHl+YnY5Vw1A1KBkCM+W4O
        IRYWtYyudV+opnhWxQPSeqaX1QKBgQDizBhNMDNyOqKzpmVgV7fcoVeg+JivRI2z
        L8YP+V2XEh8rwILE0SRl/xxLKCUKWdyEouHks2XZveE+G7nHAiifhUhdaWoSYcLz
        cA1I4fj0J7GOvPoR/AMlKsCD4hnIIuWuB9Jbjp7imwdOjrW0W0yP3uQoYOefx4KG
        p7zb+pYZXQKBgQCnNWVINuVvq/8CQi6IaT+LtdBM3YU1YiIpqMZp/hcOMnJN0mNd
        g3rT8FsykTWWm0n7qzuXsiXeyUriCVQqCSuoEs9E1cHZQCAFCxAluZ7tL0yDSC00
        /gsPnvJjMwlp7nlPHtQ54ZVeit4SCHG0uNAcxR3ED/f+wm3vS+1qBoENVQKBgQDf
        z41DzwdV+KtLIi/0zVuyLL4vKmRywfIcHE8WwH0tckK0iHwEAmgrB4BCYtF6z4cg
        lSTa7nbaU9mN0wqYa3bvRTZOiJKWpUcfuTpC7E0jlHBSbgdR7CKmcPQesefDazzB
        axKaK7p74YVqbsa9v0Nkzw7VEhxBvz7951Ymt7mcOQKBgEWgkQmxhdVs039n03aN
        IHxZbpGWrT2YdexZ/MIf41EZOXZOwiyI0LVUz2yogrcbdluN2IHzC8im3R1Wzr3k
        RTx4+UDwxnsDa63wzAgM6FckFsFpfuqvFDM2RhHaDd5p9f600cr50XmKzQkZt6xO
        oWdNaw+pen1SeCZGB71geubY
        -----END PRIVATE KEY-----
        """
}

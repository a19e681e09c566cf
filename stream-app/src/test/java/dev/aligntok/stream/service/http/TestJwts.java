package dev.aligntok.stream.service.http;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Signs compact JWTs for tests, as an identity provider would. */
public final class TestJwts {
  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  private TestJwts() {}

  public static String hs256(String secret, String claimsJson) {
    return sign("HS256", claimsJson, signed -> {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac.doFinal(signed);
    });
  }

  public static String rs256(PrivateKey key, String claimsJson) {
    return sign("RS256", claimsJson, signed -> {
      Signature rsa = Signature.getInstance("SHA256withRSA");
      rsa.initSign(key);
      rsa.update(signed);
      return rsa.sign();
    });
  }

  /** An HS256 token with the given header (which should name HS256), e.g. with a {@code crit} entry. */
  public static String hs256WithHeader(String secret, String headerJson, String claimsJson) {
    String signedPart = encode(headerJson) + "." + encode(claimsJson);
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return signedPart + "." + BASE64URL.encodeToString(mac.doFinal(signedPart.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A token whose header names {@code alg} but which carries no signature. */
  public static String unsigned(String alg, String claimsJson) {
    return encode("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}") + "." + encode(claimsJson) + ".";
  }

  private interface Signer {
    byte[] sign(byte[] signedPart) throws GeneralSecurityException;
  }

  private static String sign(String alg, String claimsJson, Signer signer) {
    String signedPart = encode("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}") + "." + encode(claimsJson);
    try {
      return signedPart + "." + BASE64URL.encodeToString(signer.sign(signedPart.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String encode(String json) {
    return BASE64URL.encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}

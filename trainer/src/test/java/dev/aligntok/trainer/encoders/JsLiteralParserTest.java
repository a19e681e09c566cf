package dev.aligntok.trainer.encoders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class JsLiteralParserTest {
  private static final String UMD_PRELUDE = "!function(e){if(\"object\"==typeof exports&&\"undefined\"!=typeof module)"
      + "module.exports=e();else{(\"undefined\"!=typeof window?window:this).model=e()}}(function(){return "
      + "function e(a,n,i){return a}({1:[function(e,a,n){";

  @Test
  void readsTheMinifiedLiteralABundleExports() {
    JsonNode node = JsLiteralParser.parseExportedLiteral(UMD_PRELUDE
        + "a.exports={modelTopology:{sparse:!1,trainable:!0,seed:null,gone:void 0,'single':'it\\'s',"
        + "rate:.5,min:-.87334511607301,exp:5e-4,big:1E3,neg:-1,list:[1,[2,3],{}],\"quoted key\":\"a\\u00e9\\n\\x41\",7:\"seven\"}}"
        + "},{}]},{},[1])(1)});", "test");
    JsonNode t = node.get("modelTopology");
    assertEquals(false, t.get("sparse").asBoolean());
    assertTrue(t.get("trainable").asBoolean());
    assertTrue(t.get("seed").isNull());
    assertTrue(t.get("gone").isNull());
    assertEquals("it's", t.get("single").asText());
    assertEquals(0.5, t.get("rate").asDouble());
    assertEquals(-0.87334511607301, t.get("min").asDouble());
    assertEquals(5e-4, t.get("exp").asDouble());
    assertEquals(1000.0, t.get("big").asDouble());
    assertEquals(-1, t.get("neg").asLong());
    assertEquals(3, t.get("list").get(1).get(1).asInt());
    assertEquals("aé\nA", t.get("quoted key").asText());
    assertEquals("seven", t.get("7").asText());
  }

  @Test
  void readsAnExportedStringAndPlainJson() {
    assertEquals("QUJD", JsLiteralParser.parseExportedLiteral("x;module.exports=e();a.exports=\"QUJD\"}", "s").asText());
    assertEquals(2, JsLiteralParser.parseExportedLiteral(" {\"a\": [1, 2.5e-3]}\n", "j").get("a").size());
  }

  @Test
  void codeIsRejectedWithItsOffset() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> JsLiteralParser.parseExportedLiteral("a.exports={x:foo()}", "model.min.js"));
    assertTrue(e.getMessage().contains("model.min.js") && e.getMessage().contains("'foo'") && e.getMessage().contains("offset 13"),
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> JsLiteralParser.parseExportedLiteral("a.exports={x:!2}", "m"));
    assertThrows(IllegalArgumentException.class, () -> JsLiteralParser.parseExportedLiteral("a.exports={x:0x10}", "m"));
    assertThrows(IllegalArgumentException.class, () -> JsLiteralParser.parseExportedLiteral("a.exports={x:\"open", "m"));
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
        () -> JsLiteralParser.parseExportedLiteral("console.log(1)", "weights.js"));
    assertTrue(none.getMessage().contains("weights.js"), none.getMessage());
  }
}

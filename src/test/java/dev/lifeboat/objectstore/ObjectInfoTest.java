package dev.lifeboat.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ObjectInfoTest {

  @Test
  void aSinglePartUploadsEtagIsItsMd5() {
    assertThat(md5("\"9E107D9D372BB6826BD81D3542A419D6\"")).isEqualTo("9e107d9d372bb6826bd81d3542a419d6");
    assertThat(md5("9e107d9d372bb6826bd81d3542a419d6")).isEqualTo("9e107d9d372bb6826bd81d3542a419d6");
  }

  @Test
  void aMultipartEtagOrAnyOtherStandsForNoMd5() {
    assertThat(md5("\"d41d8cd98f00b204e9800998ecf8427e-12\"")).isNull();
    assertThat(md5("\"W/abc\"")).isNull();
    assertThat(md5(null)).isNull();
  }

  private static String md5(String etag) {
    return new ObjectInfo("key", 1, etag, null).md5();
  }
}

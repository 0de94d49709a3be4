package dev.lifeboat;

import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class LifeboatConfiguration {

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }
}

package dev.lifeboat.engine;

import io.camunda.client.annotation.Deployment;
import java.util.Arrays;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the engine: every model under bpmn/ is deployed at start-up, in both modes. */
@Configuration(proxyBeanMethods = false)
@Deployment(resources = "classpath*:/bpmn/**/*.bpmn")
class EngineConfiguration {

  static final String EMBEDDED_ENGINE_BEAN = "embeddedEngine";

  @Bean(name = EMBEDDED_ENGINE_BEAN)
  @ConditionalOnProperty(name = "lifeboat.engine.mode", havingValue = "embedded", matchIfMissing = true)
  EmbeddedEngine embeddedEngine(EngineProperties properties) {
    return new EmbeddedEngine(properties.embedded().port());
  }

  /** The Camunda client connects as soon as it exists, so the embedded engine must start first. */
  @Bean
  static BeanFactoryPostProcessor camundaClientAfterEmbeddedEngine() {
    return beanFactory -> {
      if (!beanFactory.containsBeanDefinition(EMBEDDED_ENGINE_BEAN)) {
        return;
      }
      for (String name : beanFactory.getBeanNamesForType(io.camunda.client.CamundaClient.class, true, false)) {
        var definition = beanFactory.getBeanDefinition(name);
        String[] dependsOn = definition.getDependsOn() == null ? new String[0] : definition.getDependsOn();
        String[] extended = Arrays.copyOf(dependsOn, dependsOn.length + 1);
        extended[dependsOn.length] = EMBEDDED_ENGINE_BEAN;
        definition.setDependsOn(extended);
      }
    };
  }
}

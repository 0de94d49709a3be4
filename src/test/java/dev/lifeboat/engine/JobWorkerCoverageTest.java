package dev.lifeboat.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.camunda.client.annotation.JobWorker;
import dev.lifeboat.approval.ApprovalWorkers;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.stereotype.Component;

/** Every job type in bpmn/ has exactly one @JobWorker, and every @JobWorker a task in bpmn/. */
class JobWorkerCoverageTest {

  private static final Pattern JOB_TYPE = Pattern.compile(
      "<zeebe:(?:taskDefinition|executionListener)[^>]*\\btype=\"([^\"]+)\"");

  @Test
  void jobTypesAndWorkersMatchOneToOne() throws Exception {
    Set<String> modelTypes = new TreeSet<>();
    Resource[] models = new PathMatchingResourcePatternResolver().getResources("classpath*:/bpmn/**/*.bpmn");
    assertThat(models).isNotEmpty();
    for (Resource model : models) {
      try (InputStream in = model.getInputStream()) {
        String xml = new String(in.readAllBytes());
        Matcher matcher = JOB_TYPE.matcher(xml);
        while (matcher.find()) {
          modelTypes.add(matcher.group(1));
        }
        if (xml.contains("<bpmn:userTask")) {
          modelTypes.add(ApprovalWorkers.USER_TASK); // job-worker user tasks: the engine's own job type
        }
      }
    }

    Map<String, List<String>> workers = new HashMap<>();
    var scanner = new ClassPathScanningCandidateComponentProvider(false);
    scanner.addIncludeFilter(new AnnotationTypeFilter(Component.class));
    for (BeanDefinition bean : scanner.findCandidateComponents("dev.lifeboat")) {
      Class<?> type = Class.forName(bean.getBeanClassName());
      for (Method method : type.getDeclaredMethods()) {
        JobWorker worker = method.getAnnotation(JobWorker.class);
        if (worker != null) {
          assertThat(worker.type()).as("job type written explicitly on " + method).isNotBlank();
          workers.computeIfAbsent(worker.type(), t -> new ArrayList<>()).add(type.getSimpleName() + "#" + method.getName());
        }
      }
    }
    assertThat(workers.keySet()).as("job types with a worker").containsExactlyInAnyOrderElementsOf(modelTypes);
    workers.forEach((jobType, methods) -> assertThat(methods).as("workers of " + jobType).hasSize(1));
  }
}

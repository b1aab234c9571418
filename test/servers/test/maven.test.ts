import { describe, expect, it } from 'vitest';
import { formatCoordinates, parseCoordinates, pomFor } from '../src/maven.ts';

describe('maven coordinates', () => {
  it('parses g:a:v and the optional type and classifier', () => {
    expect(parseCoordinates('org.apache.kafka:kafka_2.13:4.4.0')).toEqual({ groupId: 'org.apache.kafka', artifactId: 'kafka_2.13', version: '4.4.0' });
    expect(parseCoordinates('org.opensearch.distribution.integ-test-zip:opensearch:2.19.6:zip')).toEqual({
      groupId: 'org.opensearch.distribution.integ-test-zip',
      artifactId: 'opensearch',
      version: '2.19.6',
      type: 'zip',
    });
    expect(parseCoordinates('io.netty:netty-transport-native-epoll:4.1.130.Final:jar:linux-x86_64').classifier).toBe('linux-x86_64');
  });

  it('rejects anything else with the bad value in the message', () => {
    for (const bad of ['kafka', 'g:a', 'g::1', 'g:a:1:jar:c:extra', ':a:1']) {
      expect(() => parseCoordinates(bad)).toThrow(bad);
    }
  });

  it('formats back, adding the jar type when only a classifier is given', () => {
    expect(formatCoordinates({ groupId: 'g', artifactId: 'a', version: '1' })).toBe('g:a:1');
    expect(formatCoordinates({ groupId: 'g', artifactId: 'a', version: '1', classifier: 'native' })).toBe('g:a:1:jar:native');
    expect(formatCoordinates(parseCoordinates('g:a:1:zip'))).toBe('g:a:1:zip');
  });
});

describe('pomFor', () => {
  it('lists the artifacts as dependencies, pins in dependencyManagement, exclusions and escaping', () => {
    const pom = pomFor(
      [
        { groupId: 'org.apache.kafka', artifactId: 'kafka_2.13', version: '4.4.0', exclusions: ['org.slf4j:slf4j-reload4j', 'log4j'] },
        { groupId: 'g', artifactId: 'dist', version: '1&2', type: 'zip', classifier: 'linux' },
      ],
      [{ groupId: 'org.slf4j', artifactId: 'slf4j-api', version: '2.0.17' }],
    );
    const lines = pom.split('\n').map((l) => l.trim());
    const managed = lines.slice(lines.indexOf('<dependencyManagement>'), lines.indexOf('</dependencyManagement>'));
    expect(managed).toContain('<artifactId>slf4j-api</artifactId>');
    expect(managed).not.toContain('<artifactId>kafka_2.13</artifactId>');
    const deps = lines.slice(lines.indexOf('</dependencyManagement>'));
    expect(deps).toContain('<artifactId>kafka_2.13</artifactId>');
    expect(deps).toContain('<exclusion><groupId>org.slf4j</groupId><artifactId>slf4j-reload4j</artifactId></exclusion>');
    expect(deps).toContain('<exclusion><groupId>log4j</groupId><artifactId>*</artifactId></exclusion>');
    expect(deps).toContain('<version>1&amp;2</version>');
    expect(deps).toContain('<type>zip</type>');
    expect(deps).toContain('<classifier>linux</classifier>');
    expect(pom.match(/<type>jar<\/type>/g)).toBeNull();
    expect(pom).toContain('<packaging>pom</packaging>');
  });

  it('omits dependencyManagement without pins', () => {
    expect(pomFor([parseCoordinates('g:a:1')])).not.toContain('dependencyManagement');
  });
});
